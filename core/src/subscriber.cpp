#include "subscriber.hpp"

#include <seer/log.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

namespace seer::detail {
namespace {
// A turn on the executor ends after this many events or this long, whichever comes first,
// so that other subscribers get the thread.
constexpr std::size_t kTurnSize = 1024;
constexpr auto kTurnTime = std::chrono::microseconds(200);
}  // namespace

Subscriber::Subscriber(std::string filter, EventHandler handler, SubscribeOptions options,
                       boost::asio::io_context& io, std::weak_ptr<BusState> bus)
    : filter_(std::move(filter)),
      options_(std::move(options)),
      handler_(std::move(handler)),
      io_(io),
      bus_(std::move(bus)) {}

bool Subscriber::make_room(std::unique_lock<std::mutex>& lock, const EventPtr& event,
                           TopicStats& stats) {
  if (options_.overflow == OverflowPolicy::keep_latest) {
    // Conflate: a newer event on the same topic replaces the queued one in place.
    if (QueuedEvent* same_topic = queue_.find_topic(event->topic)) {
      same_topic->stats->dropped.fetch_add(1, std::memory_order_relaxed);
      *same_topic = QueuedEvent{event, &stats};
      return false;
    }
  }
  if (queue_.size() < options_.queue_capacity) return true;
  if (options_.overflow == OverflowPolicy::block) {
    room_available_.wait(lock, [&] { return closed_ || queue_.size() < options_.queue_capacity; });
    return !closed_;
  }
  queue_.front().stats->dropped.fetch_add(1, std::memory_order_relaxed);
  queue_.pop_front();
  return true;
}

void Subscriber::enqueue(const EventPtr& event, TopicStats& stats) {
  std::unique_lock lock(mutex_);
  if (closed_ || !make_room(lock, event, stats)) return;
  queue_.push_back(QueuedEvent{event, &stats});
  if (drain_scheduled_) return;
  drain_scheduled_ = true;
  lock.unlock();
  boost::asio::post(io_, [self = shared_from_this()] { self->drain(); });
}

void Subscriber::deliver(const QueuedEvent& item) {
  try {
    handler_(item.event);
  } catch (const std::exception& error) {
    logger("bus")->error("handler of '{}' ({}) threw on '{}': {}", options_.subscriber_name,
                         filter_, item.event->topic, error.what());
  } catch (...) {
    logger("bus")->error("handler of '{}' ({}) threw a non-exception on '{}'",
                         options_.subscriber_name, filter_, item.event->topic);
  }
  item.stats->delivered.fetch_add(1, std::memory_order_relaxed);
}

bool Subscriber::take_batch(std::vector<QueuedEvent>& batch, std::size_t& first) {
  {
    std::lock_guard lock(mutex_);
    if (closed_ || queue_.empty()) {
      drain_scheduled_ = false;
      delivering_thread_ = {};
    } else {
      first = queue_.take_all(batch);
      delivering_thread_ = std::this_thread::get_id();
    }
  }
  if (batch.empty()) {
    handler_finished_.notify_all();
    return false;
  }
  room_available_.notify_all();
  return true;
}

void Subscriber::drain() {
  const auto turn_ends = std::chrono::steady_clock::now() + kTurnTime;
  std::vector<QueuedEvent> batch;
  std::size_t first = 0;
  std::size_t handled = 0;
  while (take_batch(batch, first)) {
    for (std::size_t i = first; i < batch.size(); ++i) {
      if (closed_.load(std::memory_order_acquire)) break;
      deliver(batch[i]);
    }
    handled += batch.size() - first;
    batch.clear();
    if (handled >= kTurnSize || std::chrono::steady_clock::now() >= turn_ends) {
      // Re-post rather than loop on so other subscribers get their turn on the executor.
      std::unique_lock lock(mutex_);
      delivering_thread_ = {};
      const bool more = !closed_ && !queue_.empty();
      drain_scheduled_ = more;
      lock.unlock();
      handler_finished_.notify_all();
      if (more) boost::asio::post(io_, [self = shared_from_this()] { self->drain(); });
      return;
    }
  }
}

bool Subscriber::close() {
  std::unique_lock lock(mutex_);
  closed_ = true;
  queue_.clear();
  room_available_.notify_all();
  if (delivering_thread_ == std::this_thread::get_id()) return true;
  handler_finished_.wait(lock, [&] { return delivering_thread_ == std::thread::id{}; });
  return false;
}

std::size_t Subscriber::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace seer::detail
