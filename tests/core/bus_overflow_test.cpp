// Overflow policies, tested with a handler parked at a gate so queues fill deterministically.
#include <seer/bus.hpp>
#include <seer/executor.hpp>

#include <gtest/gtest.h>

#include <future>

#include "event_collector.hpp"

namespace seer {
namespace {

using namespace std::chrono_literals;

struct GatedSubscriber {
  test::Gate gate;
  test::EventCollector collector;
  EventHandler handler() {
    return [this, inner = collector.handler()](const EventPtr& event) {
      gate.wait();
      inner(event);
    };
  }
};

std::vector<std::string> labels(const std::vector<EventPtr>& events) {
  std::vector<std::string> result;
  for (const auto& event : events) result.emplace_back(event->payload.as_string());
  return result;
}

class OverflowTest : public ::testing::Test {
 protected:
  Executor executor{2};
  Bus bus{executor};
  GatedSubscriber subscriber;
};

TEST_F(OverflowTest, DropOldestKeepsTheNewestEvents) {
  auto subscription = bus.subscribe("q", subscriber.handler(),
                                    {.queue_capacity = 4, .overflow = OverflowPolicy::drop_oldest});
  bus.publish("q", boost::json::value("e0"));
  ASSERT_TRUE(subscriber.gate.wait_until_blocked());  // e0 is out of the queue, in the handler
  for (int i = 1; i <= 10; ++i) bus.publish("q", boost::json::value("e" + std::to_string(i)));
  EXPECT_EQ(subscription.queued(), 4u);
  subscriber.gate.open();
  ASSERT_TRUE(subscriber.collector.wait_for(5));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(labels(subscriber.collector.events()),
            (std::vector<std::string>{"e0", "e7", "e8", "e9", "e10"}));
  const auto counters = bus.counters("q");
  EXPECT_EQ(counters.published, 11u);
  EXPECT_EQ(counters.dropped, 6u);
  EXPECT_EQ(counters.delivered, 5u);
}

TEST_F(OverflowTest, KeepLatestConflatesPerTopic) {
  auto subscription = bus.subscribe("cam/+", subscriber.handler(),
                                    {.queue_capacity = 8, .overflow = OverflowPolicy::keep_latest});
  bus.publish("cam/a", boost::json::value("a0"));
  ASSERT_TRUE(subscriber.gate.wait_until_blocked());
  for (const char* label : {"a1", "b1", "a2", "b2", "a3"}) {
    bus.publish(std::string("cam/") + label[0], boost::json::value(label));
  }
  EXPECT_EQ(subscription.queued(), 2u) << "one pending event per topic";
  subscriber.gate.open();
  ASSERT_TRUE(subscriber.collector.wait_for(3));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(labels(subscriber.collector.events()), (std::vector<std::string>{"a0", "a3", "b2"}));
  EXPECT_EQ(bus.counters("cam/a").dropped, 2u);
  EXPECT_EQ(bus.counters("cam/b").dropped, 1u);
}

TEST_F(OverflowTest, KeepLatestStillBoundsDistinctTopics) {
  auto subscription = bus.subscribe("cam/+", subscriber.handler(),
                                    {.queue_capacity = 2, .overflow = OverflowPolicy::keep_latest});
  bus.publish("cam/a", boost::json::value("a0"));
  ASSERT_TRUE(subscriber.gate.wait_until_blocked());
  for (const char* topic : {"cam/b", "cam/c", "cam/d"})
    bus.publish(topic, boost::json::value(topic));
  EXPECT_EQ(subscription.queued(), 2u);
  subscriber.gate.open();
  ASSERT_TRUE(subscriber.collector.wait_for(3));
  EXPECT_EQ(labels(subscriber.collector.events()),
            (std::vector<std::string>{"a0", "cam/c", "cam/d"}));
}

TEST_F(OverflowTest, BlockMakesThePublisherWaitAndLosesNothing) {
  auto subscription = bus.subscribe("q", subscriber.handler(),
                                    {.queue_capacity = 2, .overflow = OverflowPolicy::block});
  bus.publish("q", boost::json::value("e0"));
  ASSERT_TRUE(subscriber.gate.wait_until_blocked());
  bus.publish("q", boost::json::value("e1"));
  bus.publish("q", boost::json::value("e2"));
  auto blocked =
      std::async(std::launch::async, [&] { bus.publish("q", boost::json::value("e3")); });
  EXPECT_EQ(blocked.wait_for(100ms), std::future_status::timeout) << "queue full: must wait";
  subscriber.gate.open();
  EXPECT_EQ(blocked.wait_for(10s), std::future_status::ready);
  ASSERT_TRUE(subscriber.collector.wait_for(4));
  EXPECT_EQ(labels(subscriber.collector.events()),
            (std::vector<std::string>{"e0", "e1", "e2", "e3"}));
  EXPECT_EQ(bus.counters("q").dropped, 0u);
}

TEST_F(OverflowTest, UnsubscribingReleasesABlockedPublisher) {
  auto subscription = bus.subscribe("q", subscriber.handler(),
                                    {.queue_capacity = 1, .overflow = OverflowPolicy::block});
  bus.publish("q", boost::json::value("e0"));
  ASSERT_TRUE(subscriber.gate.wait_until_blocked());
  bus.publish("q", boost::json::value("e1"));
  auto blocked =
      std::async(std::launch::async, [&] { bus.publish("q", boost::json::value("e2")); });
  EXPECT_EQ(blocked.wait_for(50ms), std::future_status::timeout);
  auto unsubscribing = std::async(std::launch::async, [&] { subscription.unsubscribe(); });
  EXPECT_EQ(blocked.wait_for(10s), std::future_status::ready);
  subscriber.gate.open();
  EXPECT_EQ(unsubscribing.wait_for(10s), std::future_status::ready);
}

}  // namespace
}  // namespace seer
