// The set_light tool definition a chat model sees.

#include "light_test_support.hpp"

#include <seer/agents/light_command.hpp>
#include <seer/agents/light_tool.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace seer::agents::test {
namespace {

TEST(LightTool, SchemaNamesTheLightsAndTheRanges) {
  std::vector<LightDefinition> lights = three_lights();
  lights[0].mireds = {200, 400};  // 5000-2500 K
  lights[1].mireds = {250, 454};  // 4000-2203 K
  lights[2].color_temp = false;
  const ToolDefinition tool = light_tool_definition(lights);
  EXPECT_EQ(tool.name, "set_light");
  EXPECT_NE(tool.description.find("desk lamp (also lamp): brightness, color, white temperature"),
            std::string::npos)
      << tool.description;
  EXPECT_NE(tool.description.find("strip: brightness, color"), std::string::npos);

  const boost::json::object& parameters = tool.parameters;
  EXPECT_EQ(parameters.at("type"), "object");
  EXPECT_EQ(parameters.at("required"), boost::json::array{"light"});
  const boost::json::object& properties = parameters.at("properties").as_object();
  EXPECT_EQ(properties.at("light").at("enum"),
            (boost::json::array{"desk lamp", "ceiling", "strip", "all"}));
  EXPECT_EQ(properties.at("state").at("enum"), (boost::json::array{"on", "off"}));
  EXPECT_EQ(properties.at("brightness").at("type"), "integer");
  EXPECT_EQ(properties.at("brightness").at("minimum"), 0);
  EXPECT_EQ(properties.at("brightness").at("maximum"), 100);
  EXPECT_EQ(properties.at("color").at("type"), "string");
  EXPECT_NE(properties.at("color").at("description").as_string().find("warm white"),
            boost::json::string::npos);
  EXPECT_EQ(properties.at("color_temp_kelvin").at("minimum"), 2203);
  EXPECT_EQ(properties.at("color_temp_kelvin").at("maximum"), 5000);
  EXPECT_EQ(properties.size(), 5u);
}

TEST(LightTool, WhatTheSchemaAllowsParses) {
  const ToolDefinition tool = light_tool_definition(three_lights());
  const boost::json::object& properties = tool.parameters.at("properties").as_object();
  boost::json::object arguments;
  for (const auto& [key, schema] : properties) {
    if (key == "state") arguments[key] = "on";
    if (key == "light") arguments[key] = schema.at("enum").as_array().front();
    if (key == "brightness") arguments[key] = schema.at("maximum");
    if (key == "color") arguments[key] = "red";
  }
  const LightCommand command = parse_light_arguments(arguments);
  EXPECT_EQ(command.light, "desk lamp");
  EXPECT_EQ(command.brightness_percent, 100);
}

}  // namespace
}  // namespace seer::agents::test
