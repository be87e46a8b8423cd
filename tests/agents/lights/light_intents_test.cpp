// English light commands without a model, and the sentences that must give none.

#include "light_test_support.hpp"

#include <seer/agents/light_intents.hpp>

#include <gtest/gtest.h>

namespace seer::agents::test {
namespace {

class LightIntents : public ::testing::Test {
 protected:
  std::optional<LightCommand> intent(std::string_view text) {
    return parse_light_intent(text, lights);
  }
  std::vector<LightDefinition> lights = three_lights();
};

constexpr RgbColor kRed{255, 0, 0};
constexpr RgbColor kBlue{0, 0, 255};

TEST_F(LightIntents, ColoursPowerAndBrightness) {
  EXPECT_EQ(intent("turn the lights red"), (LightCommand{.light = "all", .color = kRed}));
  EXPECT_EQ(intent("Lights off."), (LightCommand{.light = "all", .on = false}));
  EXPECT_EQ(intent("lights out"), (LightCommand{.light = "all", .on = false}));
  EXPECT_EQ(intent("Turn on the desk lamp!"), (LightCommand{.light = "desk lamp", .on = true}));
  EXPECT_EQ(intent("switch off the ceiling light"),
            (LightCommand{.light = "ceiling", .on = false}));
  EXPECT_EQ(intent("dim the lamp to 30%"),
            (LightCommand{.light = "desk lamp", .brightness_percent = 30}));
  EXPECT_EQ(intent("set the lights to 50 percent"),
            (LightCommand{.light = "all", .brightness_percent = 50}));
  EXPECT_EQ(intent("set the desk lamp brightness to 40"),
            (LightCommand{.light = "desk lamp", .brightness_percent = 40}));
  EXPECT_EQ(intent("turn the strip blue and dim it to 20%"),
            (LightCommand{.light = "strip", .brightness_percent = 20, .color = kBlue}));
  EXPECT_EQ(intent("turn all the lights on"), (LightCommand{.light = "all", .on = true}));
  EXPECT_EQ(intent("make the strip #00FF80"),
            (LightCommand{.light = "strip", .color = RgbColor{0, 255, 128}}));
}

TEST_F(LightIntents, WhitesAndKelvin) {
  EXPECT_EQ(intent("make the lights warm white"),
            (LightCommand{.light = "all", .color_temp_kelvin = 2700}));
  EXPECT_EQ(intent("lights to 2700K"), (LightCommand{.light = "all", .color_temp_kelvin = 2700}));
  EXPECT_EQ(intent("set the ceiling to 4000 kelvin"),
            (LightCommand{.light = "ceiling", .color_temp_kelvin = 4000}));
  EXPECT_EQ(intent("make the lamp light blue"),
            (LightCommand{.light = "desk lamp", .color = RgbColor{135, 206, 250}}));
}

TEST_F(LightIntents, PolitenessAndAddressAreFine) {
  EXPECT_EQ(intent("Sophia, turn the lights red please"),
            (LightCommand{.light = "all", .color = kRed}));
  EXPECT_EQ(intent("could you please switch on the strip?"),
            (LightCommand{.light = "strip", .on = true}));
  EXPECT_EQ(intent("LAMP ON"), (LightCommand{.light = "desk lamp", .on = true}));
}

TEST_F(LightIntents, TheLightMeansTheOnlyOne) {
  lights.resize(1);
  EXPECT_EQ(intent("turn off the light"), (LightCommand{.light = "desk lamp", .on = false}));
  EXPECT_EQ(intent("the light to 10%"),
            (LightCommand{.light = "desk lamp", .brightness_percent = 10}));
}

TEST_F(LightIntents, ValuesAreKeptAsSpokenForValidationToRefuse) {
  const auto command = intent("dim the lamp to 140%");
  ASSERT_TRUE(command);
  EXPECT_EQ(command->brightness_percent, 140);
  EXPECT_THROW(validate_light_command(*command), std::invalid_argument);
}

TEST_F(LightIntents, MentionsQuestionsAndDoubtsGiveNothing) {
  for (const char* text : {
           "I like your lights",
           "what colour is the lamp?",
           "is the ceiling light on?",
           "the lights are red",
           "don't turn the lights off",
           "do not switch on the strip",
           "turn off the light",  // three lights: which one?
           "turn on the kitchen lights please and the lamp",
           "turn the lamp on and the ceiling off",
           "turn the lights on and off",
           "dim the lights",
           "turn it red",
           "I turned the lights off yesterday",
           "switch to the other channel",
           "",
           "   ?!",
       }) {
    EXPECT_FALSE(intent(text).has_value()) << text;
  }
}

TEST_F(LightIntents, NamesAreWholeWords) {
  EXPECT_FALSE(intent("turn on the lampshade"));
  EXPECT_FALSE(intent("turn the stripe red"));
}

}  // namespace
}  // namespace seer::agents::test
