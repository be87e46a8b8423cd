#include "subscriber.hpp"

#include <seer/log.hpp>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <vector>

namespace seer::detail {
namespace {
// Events handled per turn on the executor before yielding to other subscribers.
constexpr std::size_t kBatchSize = 256;
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
    auto same_topic = std::find_if(queue_.rbegin(), queue_.rend(), [&](const Queued& queued) {
      return queued.event->topic == event->topic;
    });
    if (same_topic != queue_.rend()) {
      same_topic->stats->dropped.fetch_add(1, std::memory_order_relaxed);
      *same_topic = Queued{event, &stats};
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
  queue_.push_back(Queued{event, &stats});
  if (drain_scheduled_) return;
  drain_scheduled_ = true;
  lock.unlock();
  boost::asio::post(io_, [self = shared_from_this()] { self->drain(); });
}

void Subscriber::deliver(const Queued& item) {
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

void Subscriber::drain() {
  std::vector<Queued> batch;
  {
    std::lock_guard lock(mutex_);
    if (closed_) {
      drain_scheduled_ = false;
      return;
    }
    const std::size_t count = std::min(queue_.size(), kBatchSize);
    batch.assign(std::make_move_iterator(queue_.begin()),
                 std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(count)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
    delivering_thread_ = std::this_thread::get_id();
  }
  room_available_.notify_all();

  for (const Queued& item : batch) {
    if (closed_.load(std::memory_order_acquire)) break;
    deliver(item);
  }

  std::unique_lock lock(mutex_);
  delivering_thread_ = {};
  const bool more = !closed_ && !queue_.empty();
  drain_scheduled_ = more;
  lock.unlock();
  handler_finished_.notify_all();
  // Re-post rather than loop so other subscribers get their turn on the executor.
  if (more) boost::asio::post(io_, [self = shared_from_this()] { self->drain(); });
}

void Subscriber::close() {
  std::unique_lock lock(mutex_);
  closed_ = true;
  queue_.clear();
  room_available_.notify_all();
  if (delivering_thread_ == std::this_thread::get_id()) return;
  handler_finished_.wait(lock, [&] { return delivering_thread_ == std::thread::id{}; });
}

std::size_t Subscriber::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace seer::detail
