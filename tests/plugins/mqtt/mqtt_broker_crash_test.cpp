// Fault injection: the broker is killed (SIGKILL) while seer publishes a steady stream of QoS 1
// messages, and comes back on the same port. Every message reaches the broker, subscriptions
// are made again, health goes degraded and back to ready.
//
// How arrival is counted: a message has arrived when a broker (the killed one or its
// successor) logged its PUBLISH from the plugin's client, retransmissions (d1) included. QoS 1
// is "at least once": a message may arrive twice (the killed broker may have received it
// without its PUBACK reaching the plugin), so duplicates are counted and allowed; a missing
// or unexpected message fails the test.

#include "event_collector.hpp"
#include "mqtt_test_support.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <thread>

namespace seer::mqtt::test {
namespace {

// How many times each `traffic/N` topic reached a broker from `client`.
std::map<std::string, int> traffic_arrivals(const std::string& broker_log,
                                            const std::string& client) {
  const std::regex line("Received PUBLISH from " + client +
                        " \\(d[01], q1, r\\d, m\\d+, '(traffic/[0-9]+)'");
  std::map<std::string, int> arrivals;
  for (std::sregex_iterator match(broker_log.begin(), broker_log.end(), line), end; match != end;
       ++match) {
    ++arrivals[(*match)[1]];
  }
  return arrivals;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST_F(MqttPluginTest, EveryQos1MessageArrivesWhenTheBrokerIsKilledDuringTraffic) {
  MosquittoBrokerOptions options;
  options.log_packets = true;
  MosquittoBroker broker(options);
  seer::test::EventCollector received;
  Subscription subscription = bus.subscribe("mqtt/in/#", received.handler());
  // Reconnects after 1 s, then every 1 s (config_for's backoff).
  start_plugin(config_for(broker, "subscriptions:\n  - topic: commands/#\n    qos: 1\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();

  // One message every 5 ms for 2 s; the broker dies after 0.4 s and is back after 1.2 s.
  constexpr int kMessages = 400;
  std::atomic<int> sent{0};
  std::thread publisher([&] {
    for (int i = 0; i < kMessages; ++i) {
      bus.publish("mqtt/out/traffic/" + std::to_string(i),
                  boost::json::object{{"payload", std::to_string(i)}, {"qos", 1}});
      ++sent;
      std::this_thread::sleep_for(5ms);
    }
  });
  ASSERT_TRUE(wait_until([&] { return sent >= 80; }, kPatience));
  broker.kill();
  const int sent_at_kill = sent;
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  std::this_thread::sleep_for(800ms);
  broker.start();
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  publisher.join();

  const std::string client = "seer-test-EveryQos1MessageArrivesWhenTheBrokerIsKilledDuringTraffic";
  std::map<std::string, int> arrivals;
  EXPECT_TRUE(wait_until(
      [&] {
        arrivals = traffic_arrivals(broker.log(), client);
        return arrivals.size() >= static_cast<std::size_t>(kMessages);
      },
      kPatience));
  std::set<std::string> expected;
  for (int i = 0; i < kMessages; ++i) expected.insert("traffic/" + std::to_string(i));
  std::set<std::string> arrived;
  int duplicates = 0;
  for (const auto& [topic, count] : arrivals) {
    arrived.insert(topic);
    duplicates += count - 1;
  }
  std::vector<std::string> missing;
  std::ranges::set_difference(expected, arrived, std::back_inserter(missing));
  EXPECT_TRUE(missing.empty()) << missing.size() << " lost, the first " << missing.front()
                               << " (the broker was killed after " << sent_at_kill << ")";
  EXPECT_EQ(arrived, expected) << "nothing unexpected";
  std::cout << "[          ] " << kMessages << " messages, killed after " << sent_at_kill
            << ", duplicates " << duplicates << ", queued " << plugin.statistics().queued
            << ", dropped " << plugin.statistics().dropped_oldest << "\n";
  EXPECT_EQ(plugin.statistics().dropped_oldest, 0u);

  // Inbound: the subscription was made again on the new broker.
  for (int attempt = 0; attempt < 50 && received.size() == 0; ++attempt) {
    seer::test::publish_with_mosquitto_pub(broker, "commands/lamp", "on", 1);
    received.wait_for(1, 100ms);
  }
  ASSERT_GE(received.size(), 1u) << "the subscription was not restored";
  EXPECT_EQ(received.events()[0]->topic, "mqtt/in/commands/lamp");

  // Health: ready, degraded (with the reason), ready again.
  const auto history = health_history.history();
  std::vector<HealthState> states;
  for (const Health& change : history) {
    if (states.empty() || states.back() != change.state) states.push_back(change.state);
  }
  ASSERT_GE(states.size(), 3u) << health_history.reasons();
  const std::vector<HealthState> tail(states.end() - 3, states.end());
  EXPECT_EQ(tail, (std::vector<HealthState>{HealthState::ready, HealthState::degraded,
                                            HealthState::ready}))
      << health_history.reasons();
}

}  // namespace
}  // namespace seer::mqtt::test
