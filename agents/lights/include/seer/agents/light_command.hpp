#pragma once
// What was asked of the lights, from a tool call or a phrase, before any device sees it.

#include <seer/agents/light_definition.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seer::agents {

// The light name that means every light.
inline constexpr std::string_view kAllLights = "all";
// The colour temperatures a command may ask for; each light then keeps to its own range.
inline constexpr int kLowestKelvin = 1000;
inline constexpr int kHighestKelvin = 10000;

struct RgbColor {
  std::uint8_t red = 0;
  std::uint8_t green = 0;
  std::uint8_t blue = 0;
  std::string hex() const;  // "#rrggbb"
  friend bool operator==(const RgbColor&, const RgbColor&) = default;
};

// "#rrggbb" (any case) or a colour's name ("red", "light blue"); nullopt for anything else.
std::optional<RgbColor> color_from_text(std::string_view text);
// The colour temperature a white's name means ("warm white" is 2700 K), or nullopt.
std::optional<int> white_kelvin(std::string_view name);
// Every colour and white name understood, for the tool's description and the README.
std::vector<std::string> color_names();
std::vector<std::string> white_names();

struct LightCommand {
  std::string light{kAllLights};  // a light's name or alias, or "all"
  std::optional<bool> on;
  std::optional<int> brightness_percent;  // 0-100
  std::optional<RgbColor> color;
  std::optional<int> color_temp_kelvin;
  friend bool operator==(const LightCommand&, const LightCommand&) = default;
};

// Reads `set_light` tool-call arguments (light, state, brightness, color, color_temp_kelvin)
// and validates them. Throws std::invalid_argument with a message the model can act on.
LightCommand parse_light_arguments(const boost::json::object& arguments);

// Ranges and combinations: brightness 0-100, kelvin within kLowestKelvin-kHighestKelvin,
// not both a colour and a temperature, nothing besides "off" when turning off, and
// something to do. Throws std::invalid_argument.
void validate_light_command(const LightCommand& command);

// The lights `command.light` names (every one for "all"). Throws std::invalid_argument
// naming the lights there are when it names none of them.
std::vector<const LightDefinition*> lights_named(const LightCommand& command,
                                                 const std::vector<LightDefinition>& lights);

// The command as JSON, in the tool's argument names.
boost::json::object to_json(const LightCommand& command);

}  // namespace seer::agents
