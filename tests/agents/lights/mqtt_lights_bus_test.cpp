// MqttLights on a real bus: the mqtt/out events it publishes, the state reports it reads
// from mqtt/in events, and the announcements of changes.

#include "event_collector.hpp"
#include "light_test_support.hpp"

#include <seer/agents/mqtt_lights.hpp>
#include <seer/executor.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <thread>

namespace seer::agents::test {
namespace {

using namespace std::chrono_literals;

class MqttLightsOnTheBus : public ::testing::Test {
 protected:
  void SetUp() override { controller.start(); }

  // Waits until `light`'s state satisfies `ready`, up to a generous bound.
  template <typename Predicate>
  bool wait_for_state(const std::string& light, Predicate ready) {
    for (auto deadline = std::chrono::steady_clock::now() + 5s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(5ms)) {
      const auto state = controller.state(light);
      if (state && ready(*state)) return true;
    }
    return false;
  }

  Executor executor{2};
  Bus bus{executor};
  seer::test::EventCollector sent;
  Subscription sent_subscription = bus.subscribe("mqtt/out/#", sent.handler());
  seer::test::EventCollector announced;
  Subscription announced_subscription = bus.subscribe("agents/sophia/lights", announced.handler());
  MqttLights controller{three_lights(), bus, "agents/sophia/lights"};
};

TEST_F(MqttLightsOnTheBus, ApplyPublishesMqttOutEventsAndReportsWhatWasSent) {
  const boost::json::object result =
      controller.apply({.light = "all", .color = RgbColor{255, 0, 0}}, "phrase");
  ASSERT_TRUE(sent.wait_for(3));
  const auto events = sent.events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]->topic, "mqtt/out/zigbee2mqtt/desk_lamp/set");
  EXPECT_EQ(
      boost::json::serialize(events[0]->payload),
      R"({"payload":"{\"state\":\"ON\",\"color\":{\"hex\":\"#ff0000\"}}","qos":1,"retain":false})");
  EXPECT_EQ(events[1]->topic, "mqtt/out/home/ceiling/set");
  EXPECT_EQ(events[2]->topic, "mqtt/out/cmnd/strip/Color");
  EXPECT_EQ(events[2]->payload.at("payload"), "255,0,0");
  EXPECT_EQ(events[2]->source, "lights");

  const boost::json::array& lights = result.at("lights").as_array();
  ASSERT_EQ(lights.size(), 3u);
  EXPECT_EQ(lights[2].at("light"), "strip");
  EXPECT_EQ(lights[2].at("sent"),
            (boost::json::array{{{"topic", "cmnd/strip/Color"}, {"payload", "255,0,0"}}}));
  EXPECT_EQ(lights[2].at("state"), (boost::json::object{{"on", true}, {"color", "#ff0000"}}));
  EXPECT_FALSE(result.contains("skipped"));

  ASSERT_TRUE(announced.wait_for(3));
  EXPECT_EQ(announced.events()[0]->payload,
            (boost::json::object{{"light", "desk lamp"},
                                 {"state", {{"on", true}, {"color", "#ff0000"}}},
                                 {"source", "phrase"}}));
  EXPECT_EQ(controller.state("lamp")->color_hex, "#ff0000");
}

TEST_F(MqttLightsOnTheBus, RefusedCommandsSendNothing) {
  EXPECT_THROW(controller.apply({.light = "kitchen", .on = true}, "model"), std::invalid_argument);
  EXPECT_THROW(controller.apply({.light = "all", .brightness_percent = 101}, "model"),
               std::invalid_argument);
  EXPECT_THROW(controller.set("kitchen", LightState{.on = true}), std::invalid_argument);
  std::this_thread::sleep_for(50ms);  // a wrongly sent event would have arrived by now
  EXPECT_EQ(sent.size(), 0u);
  EXPECT_FALSE(controller.state("desk lamp"));
}

TEST_F(MqttLightsOnTheBus, AllSkipsLightsThatCannotWhileANamedOneRefuses) {
  std::vector<LightDefinition> lights = three_lights();
  lights[2].color = false;
  MqttLights limited(lights, bus, "agents/sophia/lights");
  const auto result = limited.apply({.light = "all", .color = RgbColor{0, 0, 255}}, "model");
  EXPECT_EQ(result.at("lights").as_array().size(), 2u);
  EXPECT_EQ(
      result.at("skipped"),
      (boost::json::array{{{"light", "strip"}, {"reason", "the strip cannot show colours"}}}));
  EXPECT_THROW(limited.apply({.light = "strip", .color = RgbColor{0, 0, 255}}, "model"),
               std::invalid_argument);
}

TEST_F(MqttLightsOnTheBus, SetMapsTheControllerInterfaceOntoApply) {
  LightController& lights = controller;
  EXPECT_EQ(lights.lights(), (std::vector<std::string>{"desk lamp", "ceiling", "strip"}));
  lights.set("ceiling", LightState{.on = true, .brightness = 128, .color_temp_mireds = 370});
  ASSERT_TRUE(sent.wait_for(1));
  EXPECT_EQ(sent.events()[0]->payload.at("payload"),
            R"({"state":"ON","brightness":128,"color_temp":370})");
  EXPECT_EQ(lights.state("ceiling")->color_temp_mireds, 370);
}

TEST_F(MqttLightsOnTheBus, StateReportsUpdateStateAndAreAnnouncedOnce) {
  const boost::json::object report{
      {"topic", "zigbee2mqtt/desk_lamp"},
      {"payload", {{"state", "ON"}, {"brightness", 127}, {"color", {{"hex", "#0000ff"}}}}}};
  bus.publish("mqtt/in/zigbee2mqtt/desk_lamp", report, "mqtt");
  ASSERT_TRUE(wait_for_state("desk lamp", [](const LightState& s) { return s.on; }));
  EXPECT_EQ(controller.state("desk lamp")->brightness, 128);
  EXPECT_EQ(controller.state("desk lamp")->color_hex, "#0000ff");

  bus.publish("mqtt/in/zigbee2mqtt/desk_lamp", report, "mqtt");  // the same again
  bus.publish("mqtt/in/stat/strip/RESULT",
              boost::json::object{{"topic", "stat/strip/RESULT"}, {"payload", {{"POWER", "OFF"}}}},
              "mqtt");
  bus.publish("mqtt/in/home/ceiling",
              boost::json::object{{"topic", "home/ceiling"}, {"payload", {{"state", "ON"}}}},
              "mqtt");
  ASSERT_TRUE(wait_for_state("ceiling", [](const LightState& s) { return s.on; }));
  ASSERT_TRUE(wait_for_state("strip", [](const LightState& s) { return !s.on; }));
  ASSERT_TRUE(announced.wait_for(3));
  std::this_thread::sleep_for(50ms);  // a repeated announcement would have arrived by now
  EXPECT_EQ(announced.size(), 3u);
  EXPECT_EQ(announced.events()[0]->payload.at("source"), "device");

  controller.stop();
  bus.publish("mqtt/in/home/ceiling",
              boost::json::object{{"topic", "home/ceiling"}, {"payload", {{"state", "OFF"}}}},
              "mqtt");
  std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(controller.state("ceiling")->on);
}

}  // namespace
}  // namespace seer::agents::test
