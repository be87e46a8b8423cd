// The whole path with real parts: a phrase or a tool call → MqttLights → the bus → the mqtt
// plugin → a real mosquitto, watched by mosquitto_sub; state published with mosquitto_pub
// comes back into state().

#include "light_test_support.hpp"
#include "mosquitto_broker.hpp"
#include "mqtt_plugin.hpp"

#include <seer/agents/light_intents.hpp>
#include <seer/agents/mqtt_lights.hpp>
#include <seer/executor.hpp>
#include <seer/health.hpp>
#include <seer/service_registry.hpp>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/null_sink.h>
#include <boost/json.hpp>

#include <condition_variable>
#include <thread>

namespace seer::agents::test {
namespace {

using namespace std::chrono_literals;
using seer::test::MosquittoBroker;
using seer::test::MosquittoSubscriber;

class MqttLightsWithBroker : public ::testing::Test {
 protected:
  void SetUp() override {
    // The plugin subscribes to the lights' state topics, as an agent's config would list them.
    std::string yaml = "host: 127.0.0.1\nport: " + std::to_string(broker.port()) +
                       "\nnode_name: lights_test\nclient_id: seer-lights-test\n"
                       "reconnect: {initial: 1s, max: 1s}\nsubscriptions:\n";
    for (const LightDefinition& light : lights.definitions()) {
      for (const std::string& topic : state_report_topics(light)) {
        yaml += "  - {topic: " + topic + "}\n";
      }
    }
    plugin.configure(ConfigNode::load_string(yaml, "mqtt.yaml"));
    plugin.start(context);
    ASSERT_TRUE(wait_until_ready()) << "the mqtt plugin did not connect";
    lights.start();
  }

  bool wait_until_ready() {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 10s, [&] { return ready; });
  }

  template <typename Predicate>
  bool wait_for_state(const std::string& light, Predicate wanted) {
    for (auto deadline = std::chrono::steady_clock::now() + 5s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(10ms)) {
      const auto state = lights.state(light);
      if (state && wanted(*state)) return true;
    }
    return false;
  }

  MosquittoBroker broker;
  Executor executor{2};
  Bus bus{executor};
  ServiceRegistry registry;
  std::mutex mutex;
  std::condition_variable changed;
  bool ready = false;
  HealthReporter health{[this](const Health& now) {
    std::lock_guard lock(mutex);
    ready = now.state == HealthState::ready;
    changed.notify_all();
  }};
  PluginContext context{
      "mqtt",
      bus,
      registry,
      executor,
      std::make_shared<spdlog::logger>("mqtt", std::make_shared<spdlog::sinks::null_sink_mt>()),
      health,
      nullptr};
  mqtt::MqttPlugin plugin;
  MqttLights lights{three_lights(), bus, "agents/sophia/lights"};
};

TEST_F(MqttLightsWithBroker, PhrasesAndToolCallsReachTheBrokerInEachDialect) {
  MosquittoSubscriber subscriber(broker, {"zigbee2mqtt/#", "home/#", "cmnd/#"});

  const auto red = parse_light_intent("turn the desk lamp red", lights.definitions());
  ASSERT_TRUE(red);
  lights.apply(*red, "phrase");
  const auto lamp = subscriber.wait_for_topic("zigbee2mqtt/desk_lamp/set");
  ASSERT_TRUE(lamp) << subscriber.output();
  EXPECT_EQ(lamp->payload, R"({"state":"ON","color":{"hex":"#ff0000"}})");
  EXPECT_EQ(lamp->qos, 1);
  EXPECT_FALSE(lamp->retained);

  lights.apply(parse_light_arguments(
                   boost::json::parse(R"({"light": "strip", "color": "blue", "brightness": 20})")
                       .as_object()),
               "model");
  const auto strip = subscriber.wait_for_topic("cmnd/strip/Backlog");
  ASSERT_TRUE(strip) << subscriber.output();
  EXPECT_EQ(strip->payload, "Color 0,0,255; Dimmer 20");

  lights.apply(*parse_light_intent("switch off the ceiling light", lights.definitions()), "phrase");
  const auto ceiling = subscriber.wait_for_topic("home/ceiling/set");
  ASSERT_TRUE(ceiling) << subscriber.output();
  EXPECT_EQ(ceiling->payload, R"({"state":"OFF"})");

  ASSERT_TRUE(subscriber.wait_for(3));
  EXPECT_EQ(subscriber.messages().size(), 3u) << subscriber.output();
}

TEST_F(MqttLightsWithBroker, StateReportedThroughTheBrokerShowsUpInState) {
  seer::test::publish_with_mosquitto_pub(broker, "zigbee2mqtt/desk_lamp",
                                         R"({"state":"ON","brightness":254,"color_temp":370,)"
                                         R"("color_mode":"color_temp","linkquality":90})");
  seer::test::publish_with_mosquitto_pub(
      broker, "home/ceiling", R"({"state":"ON","brightness":64,"color":{"r":0,"g":255,"b":0}})");
  seer::test::publish_with_mosquitto_pub(broker, "stat/strip/RESULT",
                                         R"({"POWER":"ON","Dimmer":40})");
  // The strip's two topics are two subscriptions, handled in any order: the second report goes
  // out once the first is seen, so the last one is known.
  ASSERT_TRUE(wait_for_state("strip", [](const LightState& s) { return s.on; }));
  seer::test::publish_with_mosquitto_pub(
      broker, "tele/strip/STATE", R"({"POWER":"OFF","Dimmer":40,"Color":"00FF00","CT":153})");

  ASSERT_TRUE(wait_for_state("desk lamp", [](const LightState& s) { return s.on; }));
  EXPECT_EQ(lights.state("desk lamp")->brightness, 255);
  EXPECT_EQ(lights.state("desk lamp")->color_temp_mireds, 370);
  ASSERT_TRUE(wait_for_state("ceiling", [](const LightState& s) { return s.on; }));
  EXPECT_EQ(lights.state("ceiling")->color_hex, "#00ff00");
  EXPECT_EQ(lights.state("ceiling")->brightness, 64);
  ASSERT_TRUE(wait_for_state("strip", [](const LightState& s) { return s.color_hex.has_value(); }));
  EXPECT_FALSE(lights.state("strip")->on);
  EXPECT_EQ(lights.state("strip")->brightness, 102);
}

}  // namespace
}  // namespace seer::agents::test
