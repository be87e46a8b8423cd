#include <seer/bus.hpp>
#include <seer/executor.hpp>

#include <gtest/gtest.h>

#include <atomic>

#include "event_collector.hpp"

namespace seer {
namespace {

using namespace std::chrono_literals;

class BusTest : public ::testing::Test {
 protected:
  Executor executor{2};
  Bus bus{executor};
};

TEST_F(BusTest, DeliversToMatchingFiltersOnly) {
  test::EventCollector exact, one_level, many_levels, other;
  auto s1 = bus.subscribe("camera/front/motion", exact.handler());
  auto s2 = bus.subscribe("camera/+/motion", one_level.handler());
  auto s3 = bus.subscribe("camera/#", many_levels.handler());
  auto s4 = bus.subscribe("mqtt/#", other.handler());

  bus.publish("camera/front/motion", boost::json::value(1));
  bus.publish("camera/back/motion", boost::json::value(2));
  bus.publish("camera/back/frame", boost::json::value(3));

  ASSERT_TRUE(many_levels.wait_for(3));
  ASSERT_TRUE(one_level.wait_for(2));
  ASSERT_TRUE(exact.wait_for(1));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(exact.size(), 1u);
  EXPECT_EQ(one_level.size(), 2u);
  EXPECT_EQ(many_levels.size(), 3u);
  EXPECT_EQ(other.size(), 0u);
}

TEST_F(BusTest, EventCarriesPayloadSourceTimestampAndTraceId) {
  test::EventCollector collector;
  auto subscription = bus.subscribe("agents/#", collector.handler());
  const auto before = std::chrono::system_clock::now();
  bus.publish("agents/sophia/report", boost::json::object{{"mood", "happy"}}, "sophia", 42);
  bus.publish("agents/sophia/report", boost::json::value("no trace"));
  ASSERT_TRUE(collector.wait_for(2));
  const auto events = collector.events();
  EXPECT_EQ(events[0]->payload.at("mood").as_string(), "happy");
  EXPECT_EQ(events[0]->source, "sophia");
  EXPECT_EQ(events[0]->trace_id, 42u);
  EXPECT_GE(events[0]->timestamp, before);
  EXPECT_NE(events[1]->trace_id, 0u) << "a missing trace id is generated";
}

TEST_F(BusTest, AttachmentsAreSharedNotCopied) {
  auto pixels = std::shared_ptr<std::byte[]>(new std::byte[640 * 480 * 3]);
  Event event;
  event.topic = "camera/front/frame";
  event.attachments.push_back(
      {"frame", "image/x-raw-bgr", std::shared_ptr<const std::byte>(pixels, pixels.get()),
       640 * 480 * 3, boost::json::object{{"width", 640}, {"height", 480}}});
  test::EventCollector first, second;
  auto s1 = bus.subscribe("camera/+/frame", first.handler());
  auto s2 = bus.subscribe("camera/#", second.handler());
  bus.publish(std::move(event));
  ASSERT_TRUE(first.wait_for(1));
  ASSERT_TRUE(second.wait_for(1));
  EXPECT_EQ(first.events()[0].get(), second.events()[0].get()) << "one event for everyone";
  EXPECT_EQ(first.events()[0]->attachments[0].data.get(), pixels.get());
  EXPECT_EQ(first.events()[0]->attachments[0].meta.at("width").as_int64(), 640);
}

TEST_F(BusTest, HandlersNeverRunOnThePublishersThread) {
  test::EventCollector collector;
  auto subscription = bus.subscribe("t", collector.handler());
  for (int i = 0; i < 100; ++i) bus.publish("t", boost::json::value(i));
  ASSERT_TRUE(collector.wait_for(100));
  for (auto id : collector.threads()) EXPECT_NE(id, std::this_thread::get_id());
}

TEST_F(BusTest, DeliversInPublishOrderPerSubscriber) {
  constexpr int kCount = 20000;
  test::EventCollector collector;
  auto subscription =
      bus.subscribe("seq", collector.handler(), {.overflow = OverflowPolicy::block});
  for (int i = 0; i < kCount; ++i) bus.publish("seq", boost::json::value(i));
  ASSERT_TRUE(collector.wait_for(kCount));
  const auto events = collector.events();
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(events[i]->payload.as_int64(), i);
}

TEST_F(BusTest, AThrowingHandlerDoesNotStopDelivery) {
  std::atomic<int> calls{0};
  auto subscription = bus.subscribe("boom", [&](const EventPtr&) {
    if (calls.fetch_add(1) == 0) throw std::runtime_error("first one fails");
  });
  bus.publish("boom", nullptr);
  bus.publish("boom", nullptr);
  for (int i = 0; i < 500 && calls.load() < 2; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(bus.counters("boom").delivered, 2u);
}

TEST_F(BusTest, NoHandlerRunsAfterUnsubscribeReturns) {
  std::atomic<int> calls{0};
  std::atomic<bool> unsubscribed{false};
  std::atomic<bool> late{false};
  auto subscription = bus.subscribe("busy", [&](const EventPtr&) {
    if (unsubscribed.load()) late = true;
    std::this_thread::sleep_for(1ms);
    ++calls;
  });
  for (int i = 0; i < 200; ++i) bus.publish("busy", nullptr);
  while (calls.load() == 0) std::this_thread::sleep_for(1ms);
  subscription.unsubscribe();
  unsubscribed = true;
  const int seen = calls.load();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(calls.load(), seen);
  EXPECT_FALSE(late.load());
  EXPECT_FALSE(subscription.active());
  EXPECT_EQ(bus.subscriber_count(), 0u);
}

TEST_F(BusTest, AHandlerMayUnsubscribeItself) {
  std::atomic<int> calls{0};
  Subscription subscription;
  subscription = bus.subscribe("once", [&](const EventPtr&) {
    ++calls;
    subscription.unsubscribe();
  });
  bus.publish("once", nullptr);
  bus.publish("once", nullptr);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(BusTest, ASubscriptionAddedLaterSeesLaterEvents) {
  test::EventCollector early, late;
  auto s1 = bus.subscribe("t/#", early.handler());
  bus.publish("t/x", boost::json::value(1));
  auto s2 = bus.subscribe("t/+", late.handler());
  bus.publish("t/x", boost::json::value(2));
  ASSERT_TRUE(early.wait_for(2));
  ASSERT_TRUE(late.wait_for(1));
  EXPECT_EQ(late.events()[0]->payload.as_int64(), 2);
}

TEST_F(BusTest, RejectsMalformedTopicsAndFilters) {
  EXPECT_THROW(bus.publish("camera/+/frame", nullptr), std::invalid_argument);
  EXPECT_THROW(bus.publish("", nullptr), std::invalid_argument);
  EXPECT_THROW((void)bus.subscribe("a/#/b", [](const EventPtr&) {}), std::invalid_argument);
  EXPECT_THROW((void)bus.subscribe("a", EventHandler{}), std::invalid_argument);
}

TEST_F(BusTest, CountsPublishedAndDeliveredPerTopic) {
  test::EventCollector a, b;
  auto s1 = bus.subscribe("count/#", a.handler());
  auto s2 = bus.subscribe("count/one", b.handler());
  for (int i = 0; i < 5; ++i) bus.publish("count/one", nullptr);
  for (int i = 0; i < 3; ++i) bus.publish("count/two", nullptr);
  bus.publish("count/nobody-listens-here/x", nullptr);
  ASSERT_TRUE(a.wait_for(9));
  ASSERT_TRUE(b.wait_for(5));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(bus.counters("count/one").published, 5u);
  EXPECT_EQ(bus.counters("count/one").delivered, 10u);
  EXPECT_EQ(bus.counters("count/two").delivered, 3u);
  EXPECT_EQ(bus.counters("count/two").dropped, 0u);
  EXPECT_EQ(bus.all_counters().size(), 3u);
  EXPECT_EQ(bus.counters("never/published").published, 0u);
}

TEST(BusLifetime, ASubscriptionMayOutliveTheBus) {
  Executor executor(1);
  Subscription subscription;
  {
    Bus bus(executor);
    subscription = bus.subscribe("t", [](const EventPtr&) {});
  }
  subscription.unsubscribe();
  SUCCEED();
}

TEST(OverflowPolicy, ParsesItsNames) {
  EXPECT_EQ(overflow_policy_from_string("block"), OverflowPolicy::block);
  EXPECT_EQ(overflow_policy_from_string("drop_oldest"), OverflowPolicy::drop_oldest);
  EXPECT_EQ(overflow_policy_from_string("keep_latest"), OverflowPolicy::keep_latest);
  EXPECT_THROW(overflow_policy_from_string("newest"), std::invalid_argument);
}

}  // namespace
}  // namespace seer
