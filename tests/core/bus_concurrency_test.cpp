// Many publishers and many subscribers at once: nothing lost under `block`, order kept per
// publisher, and counters add up.
#include <seer/bus.hpp>
#include <seer/executor.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace seer {
namespace {

TEST(BusConcurrency, ManyPublishersManySubscribersLoseNothingUnderBlock) {
  constexpr int kPublishers = 8;
  constexpr int kSubscribers = 8;
  constexpr int kPerPublisher = 5000;
  Executor executor(4);
  Bus bus(executor);

  struct Received {
    std::mutex mutex;
    std::map<int, int> next_sequence;  // publisher → the sequence number expected next
    int total = 0;
    bool in_order = true;
  };
  std::vector<std::unique_ptr<Received>> received;
  std::vector<Subscription> subscriptions;
  for (int s = 0; s < kSubscribers; ++s) {
    received.push_back(std::make_unique<Received>());
    Received* mine = received.back().get();
    const std::string filter = s % 2 == 0 ? "load/#" : "load/+/data";
    subscriptions.push_back(
        bus.subscribe(filter,
                      [mine](const EventPtr& event) {
                        std::lock_guard lock(mine->mutex);
                        const int publisher = static_cast<int>(event->payload.at("p").as_int64());
                        const int sequence = static_cast<int>(event->payload.at("n").as_int64());
                        if (mine->next_sequence[publisher] != sequence) mine->in_order = false;
                        mine->next_sequence[publisher] = sequence + 1;
                        ++mine->total;
                      },
                      {.queue_capacity = 64, .overflow = OverflowPolicy::block}));
  }

  std::vector<std::thread> publishers;
  for (int p = 0; p < kPublishers; ++p) {
    publishers.emplace_back([&bus, p] {
      const std::string topic = "load/" + std::to_string(p) + "/data";
      for (int n = 0; n < kPerPublisher; ++n) {
        bus.publish(topic, boost::json::object{{"p", p}, {"n", n}});
      }
    });
  }
  for (auto& thread : publishers) thread.join();

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (auto& mine : received) {
    while (std::chrono::steady_clock::now() < deadline) {
      {
        std::lock_guard lock(mine->mutex);
        if (mine->total == kPublishers * kPerPublisher) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::lock_guard lock(mine->mutex);
    EXPECT_EQ(mine->total, kPublishers * kPerPublisher);
    EXPECT_TRUE(mine->in_order);
  }
  for (int p = 0; p < kPublishers; ++p) {
    const auto counters = bus.counters("load/" + std::to_string(p) + "/data");
    EXPECT_EQ(counters.published, static_cast<std::uint64_t>(kPerPublisher));
    EXPECT_EQ(counters.delivered, static_cast<std::uint64_t>(kPerPublisher * kSubscribers));
    EXPECT_EQ(counters.dropped, 0u);
  }
}

TEST(BusConcurrency, SubscribingAndUnsubscribingWhilePublishingIsSafe) {
  Executor executor(2);
  Bus bus(executor);
  std::atomic<bool> running{true};
  std::atomic<long> delivered{0};
  std::thread publisher([&] {
    while (running) bus.publish("churn/x", nullptr);
  });
  for (int i = 0; i < 200; ++i) {
    auto subscription = bus.subscribe(i % 2 ? "churn/#" : "churn/x",
                                      [&](const EventPtr&) { delivered.fetch_add(1); });
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  running = false;
  publisher.join();
  EXPECT_EQ(bus.subscriber_count(), 0u);
  EXPECT_GT(delivered.load(), 0);
}

// ThreadSanitizer found this: the handler dropping its own subscription on a bus thread while
// the owner unsubscribes (or destroys it) on another raced on the handle. Both may now, and
// the owner's unsubscribe still returns only after the handler has.
TEST(BusConcurrency, AHandlerAndItsOwnerMayUnsubscribeAtTheSameTime) {
  Executor executor(2);
  Bus bus(executor);
  for (int round = 0; round < 50; ++round) {
    Subscription subscription;
    std::atomic<bool> handler_entered{false};
    std::atomic<bool> handler_returned{false};
    subscription = bus.subscribe("race", [&](const EventPtr&) {
      handler_entered = true;
      subscription.unsubscribe();
      handler_returned = true;
    });
    bus.publish("race", nullptr);
    while (!handler_entered) std::this_thread::yield();
    subscription.unsubscribe();
    EXPECT_TRUE(handler_returned) << "round " << round;
    EXPECT_FALSE(subscription.active());
  }
  EXPECT_EQ(bus.subscriber_count(), 0u);
}

}  // namespace
}  // namespace seer
