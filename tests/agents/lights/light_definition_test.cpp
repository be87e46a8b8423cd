// tools.lights in an agent file: what is read, and every mistake located at its key.

#include "light_test_support.hpp"

#include <gtest/gtest.h>

namespace seer::agents::test {
namespace {

// The error `yaml` gives, as ConfigError::what() reads.
std::string error_of(const std::string& yaml) {
  try {
    lights_from(yaml);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(LightDefinitions, ReadsEveryDialectWithItsTopicsAndDefaults) {
  const std::vector<LightDefinition> lights = three_lights();
  ASSERT_EQ(lights.size(), 3u);
  EXPECT_EQ(lights[0].name, "desk lamp");
  EXPECT_EQ(lights[0].aliases, std::vector<std::string>{"lamp"});
  EXPECT_EQ(lights[0].dialect, LightDialect::zigbee2mqtt);
  EXPECT_EQ(lights[0].topic, "zigbee2mqtt/desk_lamp");
  EXPECT_TRUE(lights[0].brightness && lights[0].color && lights[0].color_temp);
  EXPECT_EQ(lights[0].mireds.min, 153);
  EXPECT_EQ(lights[0].mireds.max, 500);
  EXPECT_EQ(lights[0].location.line, 3);
  EXPECT_EQ(lights[1].dialect, LightDialect::home_assistant);
  EXPECT_EQ(lights[1].command_topic, "home/ceiling/set");
  EXPECT_EQ(lights[1].state_topic, "home/ceiling");
  EXPECT_EQ(lights[1].brightness_scale, 255);
  EXPECT_EQ(lights[2].dialect, LightDialect::tasmota);
  EXPECT_EQ(lights[2].topic, "strip");

  EXPECT_EQ(state_report_topics(lights[0]), std::vector<std::string>{"zigbee2mqtt/desk_lamp"});
  EXPECT_EQ(state_report_topics(lights[1]), std::vector<std::string>{"home/ceiling"});
  EXPECT_EQ(state_report_topics(lights[2]),
            (std::vector<std::string>{"stat/strip/RESULT", "tele/strip/STATE"}));
  EXPECT_EQ(find_light(lights, "LAMP"), &lights[0]);
  EXPECT_EQ(find_light(lights, "kitchen"), nullptr);
}

TEST(LightDefinitions, ReadsSupportsMiredsAndBrightnessScale) {
  const auto lights = lights_from(R"(tools:
  lights:
    - name: plug
      dialect: tasmota
      topic: plug
      supports: []
    - name: bulb
      dialect: home_assistant
      command_topic: bulb/set
      brightness_scale: 100
      supports: [brightness, color_temp]
      min_mireds: 250
      max_mireds: 454
)");
  EXPECT_FALSE(lights[0].brightness || lights[0].color || lights[0].color_temp);
  EXPECT_TRUE(lights[1].brightness && lights[1].color_temp);
  EXPECT_FALSE(lights[1].color);
  EXPECT_EQ(lights[1].brightness_scale, 100);
  EXPECT_EQ(lights[1].state_topic, "");
  EXPECT_TRUE(state_report_topics(lights[1]).empty());
  EXPECT_EQ(lights[1].mireds.min, 250);
  EXPECT_EQ(lights[1].mireds.max, 454);
}

TEST(LightDefinitions, AnUnknownDialectIsLocatedAtItsValue) {
  EXPECT_EQ(error_of(R"(tools:
  lights:
    - {name: desk lamp, dialect: zigbee2mqtt, topic: zigbee2mqtt/desk_lamp}
    - {name: hall, dialect: hue, topic: hall}
)"),
            "sophia.yaml:4:29: key 'tools.lights[1].dialect': unknown light dialect 'hue' "
            "(expected zigbee2mqtt, home_assistant or tasmota)");
}

TEST(LightDefinitions, DuplicateNamesAndAliasesAreLocated) {
  EXPECT_EQ(error_of(R"(tools:
  lights:
    - {name: lamp, dialect: tasmota, topic: a}
    - {name: Lamp, dialect: tasmota, topic: b}
)"),
            "sophia.yaml:4:14: key 'tools.lights[1].name': 'Lamp' already names the light 'lamp'");
  EXPECT_EQ(error_of(R"(tools:
  lights:
    - {name: desk lamp, aliases: [reading light], dialect: tasmota, topic: a}
    - {name: shelf, aliases: [strip, reading light], dialect: tasmota, topic: b}
)"),
            "sophia.yaml:4:38: key 'tools.lights[1].aliases[1]': 'reading light' already names "
            "the light 'desk lamp'");
  EXPECT_NE(error_of(R"(tools:
  lights:
    - {name: all, dialect: tasmota, topic: a}
)")
                .find("'all' is reserved"),
            std::string::npos);
}

TEST(LightDefinitions, MissingAndMalformedTopicsAreLocated) {
  EXPECT_EQ(error_of(R"(tools:
  lights:
    - {name: lamp, dialect: zigbee2mqtt}
)"),
            "sophia.yaml:3:7: key 'tools.lights[0].topic': missing key 'topic': a zigbee2mqtt "
            "light needs the device's topic, e.g. zigbee2mqtt/desk_lamp");
  EXPECT_EQ(error_of(R"(tools:
  lights:
    - name: ceiling
      dialect: home_assistant
      command_topic: home/+/set
)"),
            "sophia.yaml:5:22: key 'tools.lights[0].command_topic': invalid topic 'home/+/set' "
            "(no empty levels, no '+' or '#')");
  EXPECT_NE(error_of(R"(tools:
  lights:
    - {name: lamp, dialect: zigbee2mqtt, topic: zigbee2mqtt/lamp/set}
)")
                .find("without '/set'"),
            std::string::npos);
}

TEST(LightDefinitions, KeysOfAnotherDialectAndUnknownKeysAreErrors) {
  EXPECT_EQ(error_of(R"(tools:
  lights:
    - name: strip
      dialect: tasmota
      topic: strip
      state_topic: stat/strip/RESULT
)"),
            "sophia.yaml:6:7: key 'tools.lights[0].state_topic': is not used by tasmota lights");
  EXPECT_EQ(error_of(R"(tools:
  lights:
    - name: strip
      dialect: tasmota
      topik: strip
)"),
            "sophia.yaml:5:7: key 'tools.lights[0].topik': unknown key 'topik' (did you mean "
            "'topic'?)");
}

TEST(LightDefinitions, BadFeaturesAndMiredRangesAreLocated) {
  EXPECT_EQ(error_of(R"(tools:
  lights:
    - {name: a, dialect: tasmota, topic: a, supports: [brightness, rainbow]}
)"),
            "sophia.yaml:3:68: key 'tools.lights[0].supports[1]': unknown light feature "
            "'rainbow' (expected brightness, color or color_temp)");
  EXPECT_NE(error_of(R"(tools:
  lights:
    - {name: a, dialect: tasmota, topic: a, min_mireds: 400, max_mireds: 300}
)")
                .find("key 'tools.lights[0].max_mireds': must be above min_mireds (400)"),
            std::string::npos);
  EXPECT_NE(error_of(R"(tools:
  lights:
    - {name: a, dialect: tasmota, topic: a, max_mireds: 5000}
)")
                .find("must be at most 1000"),
            std::string::npos);
}

}  // namespace
}  // namespace seer::agents::test
