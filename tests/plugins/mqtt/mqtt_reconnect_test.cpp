// The broker goes away and comes back: health follows, and QoS 1 messages published in the
// meantime all reach the broker after the reconnect, in order; a full offline queue drops its
// oldest messages and says so.

#include "mqtt_test_support.hpp"

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

namespace seer::mqtt::test {
namespace {

// The topics of the PUBLISH packets `client` sent to the broker, in arrival order, from the
// broker's own log; retransmissions (d1) are left out.
std::vector<std::string> published_topics(const std::string& broker_log,
                                          const std::string& client) {
  const std::regex line("Received PUBLISH from " + client + " \\(d0, q\\d, r\\d, m\\d+, '([^']*)'");
  std::vector<std::string> topics;
  for (std::sregex_iterator match(broker_log.begin(), broker_log.end(), line), end; match != end;
       ++match) {
    topics.push_back((*match)[1]);
  }
  return topics;
}

std::vector<std::string> queue_topics(const std::vector<std::string>& topics) {
  std::vector<std::string> result;
  for (const auto& topic : topics) {
    if (topic.starts_with("queue/")) result.push_back(topic);
  }
  return result;
}

bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = kPatience) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST_F(MqttPluginTest, QueuedMessagesAllArriveInOrderAfterTheBrokerRestarts) {
  MosquittoBrokerOptions options;
  options.log_packets = true;
  MosquittoBroker broker(options);
  start_plugin(config_for(broker));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();

  broker.stop();
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  EXPECT_NE(health_history.history().back().reason.find("lost"), std::string::npos)
      << health_history.reasons();

  std::vector<std::string> expected;
  for (int i = 0; i < 50; ++i) {
    expected.push_back("queue/" + std::to_string(i));
    bus.publish("mqtt/out/" + expected.back(), boost::json::object{{"payload", std::to_string(i)}});
  }
  ASSERT_TRUE(wait_until([&] { return plugin.statistics().queued == 50; }))
      << plugin.statistics().queued << " queued";

  broker.start();
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  const std::string client = "seer-test-QueuedMessagesAllArriveInOrderAfterTheBrokerRestarts";
  ASSERT_TRUE(wait_until([&] {
    return queue_topics(published_topics(broker.log(), client)).size() >= 50;
  })) << broker.log();
  EXPECT_EQ(queue_topics(published_topics(broker.log(), client)), expected);
  EXPECT_EQ(plugin.statistics().queued, 0u);
  EXPECT_EQ(plugin.statistics().dropped_oldest, 0u);

  // And the bridge works as before.
  MosquittoSubscriber subscriber(broker, {"after/#"});
  bus.publish("mqtt/out/after/restart", boost::json::object{{"payload", "hello again"}});
  const auto message = subscriber.wait_for_topic("after/restart");
  ASSERT_TRUE(message.has_value()) << subscriber.output();
  EXPECT_EQ(message->payload, "hello again");
}

TEST_F(MqttPluginTest, AFullOfflineQueueDropsTheOldestAndSaysSo) {
  MosquittoBrokerOptions options;
  options.log_packets = true;
  MosquittoBroker broker(options);
  start_plugin(config_for(broker, "offline_queue: 5\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  broker.stop();
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();

  for (int i = 0; i < 8; ++i) {
    bus.publish("mqtt/out/queue/" + std::to_string(i), boost::json::object{{"payload", "x"}});
  }
  bus.publish("mqtt/out/queue/qos0", boost::json::object{{"payload", "x"}, {"qos", 0}});
  ASSERT_TRUE(wait_until([&] { return plugin.statistics().dropped_qos0 == 1; }));
  EXPECT_EQ(plugin.statistics().queued, 5u);
  EXPECT_EQ(plugin.statistics().dropped_oldest, 3u);
  EXPECT_NE(logs().find("offline queue full"), std::string::npos) << logs();

  broker.start();
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  EXPECT_NE(health_history.history().back().reason.find("3 queued messages dropped"),
            std::string::npos)
      << health_history.reasons();
  const std::string client = "seer-test-AFullOfflineQueueDropsTheOldestAndSaysSo";
  ASSERT_TRUE(wait_until([&] {
    return queue_topics(published_topics(broker.log(), client)).size() >= 5;
  })) << broker.log();
  EXPECT_EQ(queue_topics(published_topics(broker.log(), client)),
            (std::vector<std::string>{"queue/3", "queue/4", "queue/5", "queue/6", "queue/7"}));
}

TEST_F(MqttPluginTest, StartsWithoutABrokerAndConnectsWhenOneAppears) {
  MosquittoBroker broker;
  broker.stop();
  start_plugin(config_for(broker));
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  const std::string reason = health_history.history().back().reason;
  EXPECT_NE(reason.find("broker unreachable at mqtt://127.0.0.1:" + std::to_string(broker.port())),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("Connection refused"), std::string::npos) << reason;

  broker.start();
  ASSERT_TRUE(health_history.wait_for(HealthState::ready, 15s)) << health_history.reasons();
  const auto status = seer::test::read_retained(broker, "seer/testnode/status");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->payload, "online");
}

TEST_F(MqttPluginTest, StopsPromptlyWhileTheBrokerIsAway) {
  MosquittoBroker broker;
  start_plugin(config_for(broker, "reconnect: {initial: 1s, max: 30s}\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  broker.stop();
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  std::this_thread::sleep_for(1500ms);  // into the reconnect backoff
  const auto before = std::chrono::steady_clock::now();
  plugin.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  EXPECT_EQ(logs().find("still pending"), std::string::npos) << logs();
}

// A TCP port that completes handshakes (the kernel's backlog) but never says a word; with
// `hang_up`, every connection is accepted and closed at once.
class SilentServer {
 public:
  explicit SilentServer(bool hang_up = false) {
    socket_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(socket_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(socket_, 8) != 0 ||
        getsockname(socket_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("cannot listen on loopback");
    }
    port_ = ntohs(address.sin_port);
    if (hang_up) {
      closer_ = std::thread([this] {
        for (int client; (client = accept(socket_, nullptr, nullptr)) >= 0;) close(client);
      });
    }
  }
  ~SilentServer() {
    shutdown(socket_, SHUT_RDWR);  // wakes accept()
    if (closer_.joinable()) closer_.join();
    close(socket_);
  }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;
  int port() const { return port_; }

 private:
  int socket_ = -1;
  int port_ = 0;
  std::thread closer_;
};

TEST_F(MqttPluginTest, ABrokerThatNeverAnswersIsDegradedAndStopIsPrompt) {
  SilentServer server;
  start_plugin("host: 127.0.0.1\nport: " + std::to_string(server.port()) +
               "\nnode_name: testnode\nconnect_timeout: 1s\n");
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  EXPECT_NE(health.current().reason.find("no connection to mqtt://127.0.0.1:"), std::string::npos)
      << health_history.reasons();
  const auto before = std::chrono::steady_clock::now();
  plugin.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  EXPECT_EQ(logs().find("still pending"), std::string::npos) << logs();
}

TEST_F(MqttPluginTest, ABrokerThatHangsUpDuringTlsIsRetriedAndStopIsPrompt) {
  SilentServer server(true);
  start_plugin("host: 127.0.0.1\nport: " + std::to_string(server.port()) +
               "\nnode_name: testnode\nconnect_timeout: 1s\ntls: {insecure: true}\n");
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  // libmosquitto's thread gives up after a TLS failure; the plugin keeps trying.
  ASSERT_TRUE(wait_until([&] {
    const std::string text = logs();
    std::size_t attempts = 0;
    for (auto at = text.find("TLS handshake with"); at != std::string::npos;
         at = text.find("TLS handshake with", at + 1)) {
      ++attempts;
    }
    return attempts >= 2;
  })) << logs();
  EXPECT_EQ(health.current().state, HealthState::degraded);
  const auto before = std::chrono::steady_clock::now();
  plugin.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
  EXPECT_EQ(logs().find("still pending"), std::string::npos) << logs();
}

}  // namespace
}  // namespace seer::mqtt::test
