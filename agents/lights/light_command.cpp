#include <seer/agents/light_command.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace seer::agents {
namespace {

constexpr std::string_view kArgumentNames = "light, state, brightness, color, color_temp_kelvin";

std::string joined_names(const std::vector<LightDefinition>& lights) {
  std::string text;
  for (const LightDefinition& light : lights) {
    if (!text.empty()) text += ", ";
    text += light.name;
  }
  return text;
}

std::string string_argument(const boost::json::value& value, std::string_view key) {
  if (!value.is_string()) {
    throw std::invalid_argument(std::string(key) + " must be a string, got " +
                                boost::json::serialize(value));
  }
  return std::string(value.as_string());
}

// Small models send 50, 50.0, "50" or "50%"; all mean the same whole number, anything else
// (a fraction, a word) is refused rather than guessed.
int integer_argument(const boost::json::value& value, std::string_view key) {
  const std::string shown = boost::json::serialize(value);
  if (value.is_int64())
    return static_cast<int>(std::clamp<std::int64_t>(value.as_int64(), -1'000'000, 1'000'000));
  if (value.is_uint64())
    return static_cast<int>(std::min<std::uint64_t>(value.as_uint64(), 1'000'000));
  if (value.is_double() && std::abs(value.as_double()) < 1e6 &&
      value.as_double() == std::floor(value.as_double())) {
    return static_cast<int>(value.as_double());
  }
  if (value.is_string()) {
    std::string_view text = value.as_string();
    if (text.ends_with('%')) text.remove_suffix(1);
    int number = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error == std::errc() && end == text.data() + text.size() && !text.empty()) return number;
  }
  throw std::invalid_argument(std::string(key) + " must be a whole number, got " + shown);
}

bool state_argument(const boost::json::value& value) {
  if (value.is_bool()) return value.as_bool();
  if (value.is_string()) {
    std::string text(value.as_string());
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text == "on") return true;
    if (text == "off") return false;
  }
  throw std::invalid_argument("state must be \"on\" or \"off\", got " +
                              boost::json::serialize(value));
}

// A white's name is a colour temperature, not a colour.
void read_color(const boost::json::value& value, LightCommand& command) {
  const std::string text = string_argument(value, "color");
  if (const auto color = color_from_text(text)) {
    command.color = *color;
    return;
  }
  if (const auto kelvin = white_kelvin(text)) {
    if (command.color_temp_kelvin) {
      throw std::invalid_argument("color '" + text +
                                  "' is a colour temperature; give it or color_temp_kelvin, "
                                  "not both");
    }
    command.color_temp_kelvin = *kelvin;
    return;
  }
  throw std::invalid_argument("unknown color '" + text + "'; use #rrggbb or one of: " + [] {
    std::string names;
    for (const std::string& name : color_names()) {
      names += (names.empty() ? "" : ", ") + name;
    }
    for (const std::string& name : white_names()) {
      names += ", " + name;
    }
    return names;
  }());
}

}  // namespace

LightCommand parse_light_arguments(const boost::json::object& arguments) {
  LightCommand command;
  const boost::json::value* light = arguments.if_contains("light");
  if (light == nullptr || light->is_null()) {
    throw std::invalid_argument("missing light: give a light's name, or \"all\"");
  }
  command.light = string_argument(*light, "light");
  for (const auto& [key, value] : arguments) {
    if (value.is_null() || key == "light") continue;
    if (key == "state") {
      command.on = state_argument(value);
    } else if (key == "brightness") {
      command.brightness_percent = integer_argument(value, "brightness");
    } else if (key == "color_temp_kelvin") {
      if (command.color_temp_kelvin) {
        throw std::invalid_argument(
            "give either a white's name as color or color_temp_kelvin, "
            "not both");
      }
      command.color_temp_kelvin = integer_argument(value, "color_temp_kelvin");
    } else if (key == "color") {
      read_color(value, command);
    } else {
      throw std::invalid_argument("unknown argument '" + std::string(key) + "' (expected " +
                                  std::string(kArgumentNames) + ")");
    }
  }
  validate_light_command(command);
  return command;
}

void validate_light_command(const LightCommand& command) {
  if (command.brightness_percent &&
      (*command.brightness_percent < 0 || *command.brightness_percent > 100)) {
    throw std::invalid_argument("brightness " + std::to_string(*command.brightness_percent) +
                                " is out of range 0-100 (percent)");
  }
  if (command.color_temp_kelvin &&
      (*command.color_temp_kelvin < kLowestKelvin || *command.color_temp_kelvin > kHighestKelvin)) {
    throw std::invalid_argument("color_temp_kelvin " + std::to_string(*command.color_temp_kelvin) +
                                " is out of range " + std::to_string(kLowestKelvin) + "-" +
                                std::to_string(kHighestKelvin));
  }
  if (command.color && command.color_temp_kelvin) {
    throw std::invalid_argument("give either color or color_temp_kelvin, not both");
  }
  const bool changes_look =
      command.brightness_percent || command.color || command.color_temp_kelvin;
  if (command.on == false && changes_look) {
    throw std::invalid_argument(
        "state \"off\" cannot come with brightness, color or color_temp_kelvin");
  }
  if (!command.on && !changes_look) {
    throw std::invalid_argument(
        "nothing to change: give state, brightness, color or color_temp_kelvin");
  }
}

std::vector<const LightDefinition*> lights_named(const LightCommand& command,
                                                 const std::vector<LightDefinition>& lights) {
  std::vector<const LightDefinition*> named;
  std::string wanted = command.light;
  for (char& c : wanted) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (wanted == kAllLights) {
    for (const LightDefinition& light : lights) named.push_back(&light);
  } else if (const LightDefinition* light = find_light(lights, command.light)) {
    named.push_back(light);
  }
  if (named.empty()) {
    throw std::invalid_argument("unknown light '" + command.light +
                                "'; lights are: " + joined_names(lights));
  }
  return named;
}

boost::json::object to_json(const LightCommand& command) {
  boost::json::object json{{"light", command.light}};
  if (command.on) json["state"] = *command.on ? "on" : "off";
  if (command.brightness_percent) json["brightness"] = *command.brightness_percent;
  if (command.color) json["color"] = command.color->hex();
  if (command.color_temp_kelvin) json["color_temp_kelvin"] = *command.color_temp_kelvin;
  return json;
}

}  // namespace seer::agents
