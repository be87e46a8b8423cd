#pragma once
// The mqtt plugin driven directly (no dlopen) with a real executor, bus and broker; its log
// is captured so tests can check what it says (and what it never says).

#include "mosquitto_broker.hpp"
#include "mqtt_plugin.hpp"

#include <seer/bus.hpp>
#include <seer/config.hpp>
#include <seer/executor.hpp>
#include <seer/health.hpp>
#include <seer/plugin.hpp>
#include <seer/service_registry.hpp>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace seer::mqtt::test {

using namespace std::chrono_literals;
using seer::test::MosquittoBroker;
using seer::test::MosquittoBrokerOptions;
using seer::test::MosquittoSubscriber;
using seer::test::ReceivedMessage;

constexpr auto kPatience = 10s;  // how long to wait for something that should come quickly

// Every health change, so tests can wait for a state and see the reasons on the way.
class HealthHistory {
 public:
  HealthReporter::Listener listener() {
    return [this](const Health& health) {
      std::lock_guard lock(mutex_);
      history_.push_back(health);
      changed_.notify_all();
    };
  }
  // True once the latest state is `state`.
  bool wait_for(HealthState state, std::chrono::milliseconds timeout = kPatience) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout,
                             [&] { return !history_.empty() && history_.back().state == state; });
  }
  std::vector<Health> history() const {
    std::lock_guard lock(mutex_);
    return history_;
  }
  std::string reasons() const {
    std::string text;
    for (const Health& health : history()) {
      text += std::string(to_string(health.state)) + ": " + health.reason + "\n";
    }
    return text;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Health> history_;
};

class MqttPluginTest : public ::testing::Test {
 protected:
  // The plugin's config for `broker`, plus `extra` YAML lines.
  static std::string config_for(const MosquittoBroker& broker, const std::string& extra = {}) {
    return "host: 127.0.0.1\nport: " + std::to_string(broker.port()) +
           "\nnode_name: testnode\nclient_id: seer-test-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name() +
           (extra.find("reconnect:") == std::string::npos ? "\nreconnect: {initial: 1s, max: 1s}\n"
                                                          : "\n") +
           extra;
  }

  void start_plugin(const std::string& yaml) {
    logger->set_level(spdlog::level::trace);
    plugin.configure(ConfigNode::load_string(yaml, "mqtt-test.yaml"));
    plugin.start(context);
  }

  std::string logs() const {
    std::string text;
    for (const std::string& line : log_lines->last_formatted()) text += line;
    return text;
  }

  Executor executor{2};
  Bus bus{executor};
  ServiceRegistry registry;
  HealthHistory health_history;
  HealthReporter health{health_history.listener()};
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> log_lines =
      std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(2000);
  std::shared_ptr<spdlog::logger> logger = std::make_shared<spdlog::logger>("mqtt-test", log_lines);
  PluginContext context{"mqtt", bus, registry, executor, logger, health, nullptr};
  // Last, so it stops before anything it uses goes away.
  MqttPlugin plugin;
};

}  // namespace seer::mqtt::test
