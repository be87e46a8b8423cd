// The exact MQTT messages of each dialect, and the state each reports back.

#include "light_test_support.hpp"

#include <seer/agents/light_dialects.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace seer::agents::test {
namespace {

class LightDialects : public ::testing::Test {
 protected:
  std::vector<MqttMessage> messages(std::size_t light, LightCommand command) {
    return encode_light_change(lights[light], light_change_for(lights[light], command));
  }
  static LightCommand on() { return {.light = "x", .on = true}; }
  static LightCommand off() { return {.light = "x", .on = false}; }
  static LightCommand red_at(int percent) {
    return {.light = "x", .brightness_percent = percent, .color = RgbColor{255, 0, 0}};
  }
  static LightCommand kelvin(int value) { return {.light = "x", .color_temp_kelvin = value}; }

  std::vector<LightDefinition> lights = three_lights();
};

constexpr std::size_t kZigbee = 0, kHomeAssistant = 1, kTasmota = 2;

TEST_F(LightDialects, ZigbeeTwoMqttSendsOneJsonSetMessage) {
  EXPECT_EQ(
      messages(kZigbee, on()),
      (std::vector<MqttMessage>{{"zigbee2mqtt/desk_lamp/set", R"({"state":"ON"})", 1, false}}));
  EXPECT_EQ(messages(kZigbee, off())[0].payload, R"({"state":"OFF"})");
  EXPECT_EQ(messages(kZigbee, red_at(50))[0].payload,
            R"({"state":"ON","brightness":127,"color":{"hex":"#ff0000"}})");
  EXPECT_EQ(messages(kZigbee, {.light = "x", .brightness_percent = 100})[0].payload,
            R"({"state":"ON","brightness":254})");
  EXPECT_EQ(messages(kZigbee, kelvin(2700))[0].payload, R"({"state":"ON","color_temp":370})");
}

TEST_F(LightDialects, HomeAssistantSendsJsonSchemaOnTheCommandTopic) {
  EXPECT_EQ(messages(kHomeAssistant, on()),
            (std::vector<MqttMessage>{{"home/ceiling/set", R"({"state":"ON"})", 1, false}}));
  EXPECT_EQ(messages(kHomeAssistant, red_at(50))[0].payload,
            R"({"state":"ON","brightness":128,"color":{"r":255,"g":0,"b":0}})");
  lights[kHomeAssistant].brightness_scale = 100;
  EXPECT_EQ(
      messages(kHomeAssistant, {.light = "x", .on = true, .brightness_percent = 30})[0].payload,
      R"({"state":"ON","brightness":30})");
  EXPECT_EQ(messages(kHomeAssistant, kelvin(6500))[0].payload,
            R"({"state":"ON","color_temp":154})");
}

TEST_F(LightDialects, TasmotaSendsOnePlainCommandOrOneBacklog) {
  EXPECT_EQ(messages(kTasmota, on()),
            (std::vector<MqttMessage>{{"cmnd/strip/POWER", "ON", 1, false}}));
  EXPECT_EQ(messages(kTasmota, off()),
            (std::vector<MqttMessage>{{"cmnd/strip/POWER", "OFF", 1, false}}));
  EXPECT_EQ(messages(kTasmota, {.light = "x", .brightness_percent = 30}),
            (std::vector<MqttMessage>{{"cmnd/strip/Dimmer", "30", 1, false}}));
  EXPECT_EQ(messages(kTasmota, {.light = "x", .color = RgbColor{0, 0, 255}}),
            (std::vector<MqttMessage>{{"cmnd/strip/Color", "0,0,255", 1, false}}));
  EXPECT_EQ(messages(kTasmota, kelvin(2700)),
            (std::vector<MqttMessage>{{"cmnd/strip/CT", "370", 1, false}}));
  EXPECT_EQ(
      messages(kTasmota, red_at(20)),
      (std::vector<MqttMessage>{{"cmnd/strip/Backlog", "Color 255,0,0; Dimmer 20", 1, false}}));
  EXPECT_EQ(messages(kTasmota, {.light = "x", .on = true, .brightness_percent = 5}),
            (std::vector<MqttMessage>{{"cmnd/strip/Backlog", "POWER ON; Dimmer 5", 1, false}}));
}

TEST_F(LightDialects, OnlyTheMiredRangeIsClampedToTheDevice) {
  lights[kZigbee].mireds = {250, 454};
  EXPECT_EQ(messages(kZigbee, kelvin(1000))[0].payload, R"({"state":"ON","color_temp":454})");
  EXPECT_EQ(messages(kZigbee, kelvin(10000))[0].payload, R"({"state":"ON","color_temp":250})");
}

TEST_F(LightDialects, ALightRefusesWhatItCannotDo) {
  lights[kTasmota].color = false;
  lights[kTasmota].brightness = false;
  try {
    messages(kTasmota, red_at(20));
    FAIL() << "accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "the strip cannot be dimmed (it only turns on and off)");
  }
  EXPECT_THROW(messages(kTasmota, {.light = "x", .color = RgbColor{1, 2, 3}}),
               std::invalid_argument);
  EXPECT_EQ(messages(kTasmota, on()).size(), 1u);
}

LightState report(const LightDefinition& light, std::string_view json, LightState previous = {}) {
  const auto state = read_state_report(light, boost::json::parse(json), previous);
  EXPECT_TRUE(state.has_value()) << json;
  return state.value_or(LightState{});
}

TEST_F(LightDialects, StateReportsOfEachDialectAreRead) {
  LightState zigbee = report(lights[kZigbee],
                             R"({"state":"ON","brightness":254,"color":{"hex":"#00FF00"},
                                 "color_mode":"xy","color_temp":300,"linkquality":80})");
  EXPECT_TRUE(zigbee.on);
  EXPECT_EQ(zigbee.brightness, 255);
  EXPECT_EQ(zigbee.color_hex, "#00ff00");
  EXPECT_FALSE(zigbee.color_temp_mireds);
  zigbee = report(lights[kZigbee], R"({"color_mode":"color_temp","color_temp":300})", zigbee);
  EXPECT_EQ(zigbee.color_temp_mireds, 300);
  EXPECT_FALSE(zigbee.color_hex);
  EXPECT_TRUE(zigbee.on);

  const LightState ceiling = report(
      lights[kHomeAssistant], R"({"state":"OFF","brightness":51,"color":{"r":1,"g":2,"b":3}})");
  EXPECT_FALSE(ceiling.on);
  EXPECT_EQ(ceiling.brightness, 51);
  EXPECT_EQ(ceiling.color_hex, "#010203");

  const LightState strip =
      report(lights[kTasmota], R"({"POWER":"ON","Dimmer":20,"Color":"FF800000","CT":153})");
  EXPECT_TRUE(strip.on);
  EXPECT_EQ(strip.brightness, 51);
  EXPECT_EQ(strip.color_hex, "#ff8000");
  const LightState white = report(lights[kTasmota], R"({"Color":"255,255,255","CT":370})");
  EXPECT_EQ(white.color_temp_mireds, 370);
  EXPECT_FALSE(white.color_hex);

  EXPECT_FALSE(read_state_report(lights[kZigbee], boost::json::parse(R"({"linkquality":3})"), {}));
  EXPECT_FALSE(read_state_report(lights[kTasmota], boost::json::value("ON"), {}));
}

TEST_F(LightDialects, StateAfterAChangeKeepsOneColourModel) {
  LightState state = state_after({}, light_change_for(lights[kZigbee], red_at(100)));
  EXPECT_TRUE(state.on);
  EXPECT_EQ(state.brightness, 255);
  EXPECT_EQ(state.color_hex, "#ff0000");
  state = state_after(state, light_change_for(lights[kZigbee], kelvin(2700)));
  EXPECT_EQ(state.color_temp_mireds, 370);
  EXPECT_FALSE(state.color_hex);
  EXPECT_EQ(state.brightness, 255);
  state = state_after(state, light_change_for(lights[kZigbee], off()));
  EXPECT_FALSE(state.on);
  EXPECT_EQ(boost::json::serialize(to_json(state)),
            R"({"on":false,"brightness":255,"color_temp_mireds":370})");
}

}  // namespace
}  // namespace seer::agents::test
