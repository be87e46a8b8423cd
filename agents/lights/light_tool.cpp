#include <seer/agents/light_command.hpp>
#include <seer/agents/light_tool.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>

namespace seer::agents {
namespace {

std::string comma_separated(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

int kelvin_of(int mireds) { return static_cast<int>(std::lround(1'000'000.0 / mireds)); }

// The temperatures every light that has them can reach at least partly: the union, since
// each light keeps to its own range by itself.
std::pair<int, int> kelvin_range(const std::vector<LightDefinition>& lights) {
  int warmest = kHighestKelvin;
  int coolest = kLowestKelvin;
  for (const LightDefinition& light : lights) {
    if (!light.color_temp) continue;
    warmest = std::min(warmest, kelvin_of(light.mireds.max));
    coolest = std::max(coolest, kelvin_of(light.mireds.min));
  }
  if (warmest > coolest) return {kLowestKelvin, kHighestKelvin};
  return {warmest, coolest};
}

std::string light_list(const std::vector<LightDefinition>& lights) {
  std::string text;
  for (const LightDefinition& light : lights) {
    text += (text.empty() ? "" : "; ") + light.name;
    if (!light.aliases.empty()) text += " (also " + comma_separated(light.aliases) + ")";
    std::vector<std::string> abilities;
    if (light.brightness) abilities.emplace_back("brightness");
    if (light.color) abilities.emplace_back("color");
    if (light.color_temp) abilities.emplace_back("white temperature");
    text += abilities.empty() ? ": on/off only" : ": " + comma_separated(abilities);
  }
  return text;
}

}  // namespace

ToolDefinition light_tool_definition(const std::vector<LightDefinition>& lights) {
  boost::json::array names;
  for (const LightDefinition& light : lights) names.emplace_back(light.name);
  names.emplace_back(kAllLights);
  const auto [warmest, coolest] = kelvin_range(lights);

  boost::json::object properties;
  properties["light"] = {{"type", "string"},
                         {"enum", std::move(names)},
                         {"description", "Which light to change, or \"all\" for every light."}};
  properties["state"] = {{"type", "string"},
                         {"enum", boost::json::array{"on", "off"}},
                         {"description",
                          "Turn the light on or off. Leave out to keep it as it "
                          "is; a brightness or color turns it on."}};
  properties["brightness"] = {{"type", "integer"},
                              {"minimum", 0},
                              {"maximum", 100},
                              {"description", "Brightness in percent: 100 is full, 10 is dim."}};
  properties["color"] = {
      {"type", "string"},
      {"description", "A color name (" + comma_separated(color_names()) + "), a white (" +
                          comma_separated(white_names()) +
                          ") or #rrggbb. Leave out when only switching or dimming."}};
  properties["color_temp_kelvin"] = {
      {"type", "integer"},
      {"minimum", warmest},
      {"maximum", coolest},
      {"description", "White color temperature in kelvin: " + std::to_string(warmest) +
                          " is warm, " + std::to_string(coolest) +
                          " is cool. Do not combine with color."}};

  ToolDefinition tool;
  tool.name = kLightToolName;
  tool.description = "Switch, dim or color the room's lights. Lights: " + light_list(lights) +
                     ". Give only what should change.";
  tool.parameters = {{"type", "object"},
                     {"properties", std::move(properties)},
                     {"required", boost::json::array{"light"}}};
  return tool;
}

}  // namespace seer::agents
