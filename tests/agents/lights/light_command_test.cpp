// set_light arguments: what is read, and refusals with messages the model can act on.

#include "light_test_support.hpp"

#include <seer/agents/light_command.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace seer::agents::test {
namespace {

LightCommand parse(std::string_view json) {
  return parse_light_arguments(boost::json::parse(json).as_object());
}

std::string refusal(std::string_view json) {
  try {
    parse(json);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "accepted";
}

TEST(LightArguments, ReadsEveryArgument) {
  const LightCommand command = parse(R"({"light": "desk lamp", "state": "on", "brightness": 40,
                                         "color": "#FF8000"})");
  EXPECT_EQ(command.light, "desk lamp");
  EXPECT_EQ(command.on, true);
  EXPECT_EQ(command.brightness_percent, 40);
  ASSERT_TRUE(command.color);
  EXPECT_EQ(command.color->hex(), "#ff8000");
  EXPECT_FALSE(command.color_temp_kelvin);

  const LightCommand warm = parse(R"({"light": "all", "color": "warm white"})");
  EXPECT_FALSE(warm.color);
  EXPECT_EQ(warm.color_temp_kelvin, 2700);
  EXPECT_EQ(parse(R"({"light": "all", "state": "OFF"})").on, false);
  EXPECT_EQ(parse(R"({"light": "all", "color_temp_kelvin": 4000})").color_temp_kelvin, 4000);
  EXPECT_EQ(parse(R"({"light": "all", "color": "Light Blue"})").color->hex(), "#87cefa");
}

TEST(LightArguments, AcceptsTheNumberFormsSmallModelsSend) {
  EXPECT_EQ(parse(R"({"light": "all", "brightness": 50.0})").brightness_percent, 50);
  EXPECT_EQ(parse(R"({"light": "all", "brightness": "50"})").brightness_percent, 50);
  EXPECT_EQ(parse(R"({"light": "all", "brightness": "50%"})").brightness_percent, 50);
  EXPECT_EQ(parse(R"({"light": "all", "state": true, "color": null})").on, true);
}

TEST(LightArguments, RangesAreCheckedNeverClamped) {
  EXPECT_EQ(refusal(R"({"light": "all", "brightness": 140})"),
            "brightness 140 is out of range 0-100 (percent)");
  EXPECT_EQ(refusal(R"({"light": "all", "brightness": -1})"),
            "brightness -1 is out of range 0-100 (percent)");
  EXPECT_EQ(refusal(R"({"light": "all", "color_temp_kelvin": 200})"),
            "color_temp_kelvin 200 is out of range 1000-10000");
  EXPECT_EQ(refusal(R"({"light": "all", "brightness": 12.5})"),
            "brightness must be a whole number, got 1.25E1");
}

TEST(LightArguments, RefusesWhatCannotBeMeantWithAReason) {
  EXPECT_EQ(refusal(R"({"state": "on"})"), "missing light: give a light's name, or \"all\"");
  EXPECT_EQ(refusal(R"({"light": "all"})"),
            "nothing to change: give state, brightness, color or color_temp_kelvin");
  EXPECT_EQ(refusal(R"({"light": "all", "state": "dim"})"),
            "state must be \"on\" or \"off\", got \"dim\"");
  EXPECT_EQ(refusal(R"({"light": "all", "state": "off", "brightness": 20})"),
            "state \"off\" cannot come with brightness, color or color_temp_kelvin");
  EXPECT_EQ(refusal(R"({"light": "all", "color": "red", "color_temp_kelvin": 3000})"),
            "give either color or color_temp_kelvin, not both");
  EXPECT_EQ(refusal(R"({"light": "all", "colour": "red"})"),
            "unknown argument 'colour' (expected light, state, brightness, color, "
            "color_temp_kelvin)");
  EXPECT_EQ(refusal(R"({"light": "all", "color": "octarine"})")
                .rfind("unknown color 'octarine'; use #rrggbb or one of: red, green, blue", 0),
            0u);
  EXPECT_EQ(refusal(R"({"light": 3, "state": "on"})"), "light must be a string, got 3");
}

TEST(LightArguments, UnknownLightsNameTheLightsThereAre) {
  const std::vector<LightDefinition> lights = three_lights();
  LightCommand command;
  command.light = "kitchen";
  try {
    lights_named(command, lights);
    FAIL() << "accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "unknown light 'kitchen'; lights are: desk lamp, ceiling, strip");
  }
  command.light = "Lamp";
  EXPECT_EQ(lights_named(command, lights), std::vector<const LightDefinition*>{&lights[0]});
  command.light = "all";
  EXPECT_EQ(lights_named(command, lights).size(), 3u);
}

}  // namespace
}  // namespace seer::agents::test
