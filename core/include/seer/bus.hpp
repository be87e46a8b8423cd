#pragma once
// The event bus: publish/subscribe over hierarchical topics with MQTT-style wildcards.
//
// Every subscriber owns a bounded queue with an overflow policy. Handlers run on the
// executor's threads, never on the publisher's, one event at a time per subscriber and in
// publish order (per publisher). Events are shared, never copied per subscriber.

#include <seer/event.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace seer {

class Executor;

enum class OverflowPolicy {
  block,        // the publisher waits until the subscriber has room: nothing is lost
  drop_oldest,  // the oldest queued event is dropped to make room
  keep_latest,  // per topic only the newest queued event is kept (frames, sensor states)
};

std::string_view to_string(OverflowPolicy policy);
// Throws std::invalid_argument naming the accepted values.
OverflowPolicy overflow_policy_from_string(std::string_view text);

struct SubscribeOptions {
  std::size_t queue_capacity = 1024;
  OverflowPolicy overflow = OverflowPolicy::drop_oldest;
  // Shown in logs and statistics.
  std::string subscriber_name;
  // Kept alive as long as the subscription exists (a plugin's library, say).
  std::shared_ptr<const void> keepalive;
};

using EventHandler = std::function<void(const EventPtr&)>;

struct TopicCounters {
  std::uint64_t published = 0;  // publish() calls on this topic
  std::uint64_t delivered = 0;  // handler invocations that finished
  std::uint64_t dropped = 0;    // queued events discarded by an overflow policy
};

namespace detail {
class Subscriber;
struct BusState;
}  // namespace detail

// Ends the subscription when destroyed or reset. After unsubscribe() returns, the handler is not
// running and won't run again. A handler may unsubscribe itself; the owner then drops the handle.
class Subscription {
 public:
  Subscription() = default;
  explicit Subscription(std::shared_ptr<detail::Subscriber> subscriber);
  Subscription(Subscription&&) noexcept = default;
  Subscription& operator=(Subscription&& other) noexcept;
  ~Subscription();

  void unsubscribe();
  bool active() const { return subscriber_ != nullptr; }
  // Events waiting in this subscriber's queue.
  std::size_t queued() const;

 private:
  std::shared_ptr<detail::Subscriber> subscriber_;
};

class Bus {
 public:
  explicit Bus(Executor& executor);
  ~Bus();
  Bus(const Bus&) = delete;
  Bus& operator=(const Bus&) = delete;

  // Throws std::invalid_argument for a malformed filter.
  [[nodiscard]] Subscription subscribe(std::string_view filter, EventHandler handler,
                                       SubscribeOptions options = {});

  // Fills in the timestamp (if unset) and trace id (if 0). Throws std::invalid_argument for
  // a topic that is empty or holds wildcards. Under `block`, waits for room.
  void publish(Event event);
  void publish(std::string_view topic, boost::json::value payload, std::string_view source = {},
               TraceId trace_id = 0);

  TopicCounters counters(std::string_view topic) const;
  std::map<std::string, TopicCounters> all_counters() const;
  std::size_t subscriber_count() const;

 private:
  std::shared_ptr<detail::BusState> state_;
};

}  // namespace seer
