// The Last Will: a process running the plugin is killed with SIGKILL (no goodbye), and the
// broker itself publishes the retained "offline".

#include "mqtt_test_support.hpp"

#include <signal.h>

namespace seer::mqtt::test {
namespace {

TEST(MqttLastWill, TheBrokerSaysOfflineWhenThePluginProcessDies) {
  MosquittoBroker broker;
  const std::string config = "host: 127.0.0.1\nport: " + std::to_string(broker.port()) +
                             "\nnode_name: willtest\nclient_id: seer-will-test\n";
  seer::test::ChildProcess host({SEER_MQTT_TEST_HOST, config});
  ASSERT_TRUE(host.wait_for_output("READY", kPatience)) << host.out() << host.err();
  auto status = seer::test::read_retained(broker, "seer/willtest/status");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->payload, "online");

  host.signal(SIGKILL);
  ASSERT_TRUE(host.wait(kPatience).has_value());
  MosquittoSubscriber subscriber(broker, {"seer/willtest/status"});
  // The retained "online" may come first; the will replaces it as soon as the socket closes.
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (std::chrono::steady_clock::now() < deadline) {
    status = seer::test::read_retained(broker, "seer/willtest/status");
    if (status && status->payload == "offline") break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->payload, "offline");
  EXPECT_TRUE(status->retained);
}

}  // namespace
}  // namespace seer::mqtt::test
