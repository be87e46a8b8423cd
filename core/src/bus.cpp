#include <seer/bus.hpp>
#include <seer/executor.hpp>
#include <seer/topic.hpp>

#include <algorithm>
#include <shared_mutex>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "subscriber.hpp"

namespace seer {
namespace detail {

using SubscriberList = std::vector<std::shared_ptr<Subscriber>>;

// Per concrete topic: its counters and the cached list of matching subscribers, rebuilt
// when the set of subscriptions has changed since (generation differs).
struct TopicState {
  TopicStats stats;
  std::shared_ptr<const SubscriberList> matches;
  std::uint64_t generation = 0;
};

struct BusState {
  explicit BusState(boost::asio::io_context& context) : io(context) {}

  boost::asio::io_context& io;
  mutable std::shared_mutex mutex;
  std::unordered_map<std::string, std::unique_ptr<TopicState>> topics;
  SubscriberList subscribers;
  std::uint64_t generation = 1;

  void remove(const Subscriber* subscriber) {
    std::unique_lock lock(mutex);
    std::erase_if(subscribers, [&](const auto& s) { return s.get() == subscriber; });
    ++generation;
  }
};

}  // namespace detail

std::string_view to_string(OverflowPolicy policy) {
  switch (policy) {
    case OverflowPolicy::block:
      return "block";
    case OverflowPolicy::drop_oldest:
      return "drop_oldest";
    case OverflowPolicy::keep_latest:
      return "keep_latest";
  }
  return "unknown";
}

OverflowPolicy overflow_policy_from_string(std::string_view text) {
  for (auto policy :
       {OverflowPolicy::block, OverflowPolicy::drop_oldest, OverflowPolicy::keep_latest}) {
    if (text == to_string(policy)) return policy;
  }
  throw std::invalid_argument("unknown overflow policy '" + std::string(text) +
                              "': expected block, drop_oldest or keep_latest");
}

Subscription::Subscription(std::shared_ptr<detail::Subscriber> subscriber)
    : subscriber_(std::move(subscriber)) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    unsubscribe();
    subscriber_ = std::move(other.subscriber_);
  }
  return *this;
}

Subscription::~Subscription() { unsubscribe(); }

void Subscription::unsubscribe() {
  if (!subscriber_) return;
  const bool from_own_handler = subscriber_->close();
  if (auto bus = subscriber_->bus().lock()) bus->remove(subscriber_.get());
  // A handler unsubscribing itself runs on a bus thread while the owner of this handle may be
  // reading it on another (ThreadSanitizer found the race): it only closes the subscriber,
  // and the handle is dropped on the owner's side (here again, or when it is destroyed).
  if (!from_own_handler) subscriber_.reset();
}

std::size_t Subscription::queued() const { return subscriber_ ? subscriber_->queued() : 0; }

Bus::Bus(Executor& executor) : state_(std::make_shared<detail::BusState>(executor.context())) {}

Bus::~Bus() {
  // Subscriptions that outlive the bus find it gone; stop their delivery now.
  detail::SubscriberList remaining;
  {
    std::unique_lock lock(state_->mutex);
    remaining.swap(state_->subscribers);
  }
  for (const auto& subscriber : remaining) subscriber->close();
}

Subscription Bus::subscribe(std::string_view filter, EventHandler handler,
                            SubscribeOptions options) {
  if (const std::string problem = check_topic_filter(filter); !problem.empty()) {
    throw std::invalid_argument("cannot subscribe to '" + std::string(filter) + "': " + problem);
  }
  if (!handler) throw std::invalid_argument("cannot subscribe without a handler");
  if (options.queue_capacity == 0) options.queue_capacity = 1;
  auto subscriber = std::make_shared<detail::Subscriber>(std::string(filter), std::move(handler),
                                                         std::move(options), state_->io, state_);
  std::unique_lock lock(state_->mutex);
  state_->subscribers.push_back(subscriber);
  ++state_->generation;
  return Subscription(std::move(subscriber));
}

void Bus::publish(std::string_view topic, boost::json::value payload, std::string_view source,
                  TraceId trace_id) {
  Event event;
  event.topic = topic;
  event.payload = std::move(payload);
  event.source = source;
  event.trace_id = trace_id;
  publish(std::move(event));
}

void Bus::publish(Event event) {
  if (!is_valid_topic(event.topic)) {
    throw std::invalid_argument("cannot publish to '" + event.topic +
                                "': a topic is non-empty and has no '+' or '#'");
  }
  if (event.timestamp == std::chrono::system_clock::time_point{}) {
    event.timestamp = std::chrono::system_clock::now();
  }
  if (event.trace_id == 0) event.trace_id = new_trace_id();
  auto shared = std::make_shared<const Event>(std::move(event));

  detail::TopicState* topic = nullptr;
  std::shared_ptr<const detail::SubscriberList> matches;
  {
    std::shared_lock lock(state_->mutex);
    auto found = state_->topics.find(shared->topic);
    if (found != state_->topics.end() && found->second->generation == state_->generation) {
      topic = found->second.get();
      matches = topic->matches;
    }
  }
  if (!topic) {
    std::unique_lock lock(state_->mutex);
    auto& slot = state_->topics[shared->topic];
    if (!slot) slot = std::make_unique<detail::TopicState>();
    topic = slot.get();
    if (topic->generation != state_->generation) {
      auto list = std::make_shared<detail::SubscriberList>();
      for (const auto& subscriber : state_->subscribers) {
        if (topic_matches(subscriber->filter(), shared->topic)) list->push_back(subscriber);
      }
      topic->matches = std::move(list);
      topic->generation = state_->generation;
    }
    matches = topic->matches;
  }

  topic->stats.published.fetch_add(1, std::memory_order_relaxed);
  for (const auto& subscriber : *matches) subscriber->enqueue(shared, topic->stats);
}

TopicCounters Bus::counters(std::string_view topic) const {
  std::shared_lock lock(state_->mutex);
  auto found = state_->topics.find(std::string(topic));
  if (found == state_->topics.end()) return {};
  const auto& stats = found->second->stats;
  return {stats.published.load(), stats.delivered.load(), stats.dropped.load()};
}

std::map<std::string, TopicCounters> Bus::all_counters() const {
  std::map<std::string, TopicCounters> result;
  std::shared_lock lock(state_->mutex);
  for (const auto& [name, state] : state_->topics) {
    result[name] = {state->stats.published.load(), state->stats.delivered.load(),
                    state->stats.dropped.load()};
  }
  return result;
}

std::size_t Bus::subscriber_count() const {
  std::shared_lock lock(state_->mutex);
  return state_->subscribers.size();
}

}  // namespace seer
