#include <seer/agents/light_dialects.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seer::agents {
namespace {

constexpr int kZigbeeFullBrightness = 254;

// Percent to a device's scale, rounded to nearest so 50% of 254 is 127.
int scaled(int percent, int full_scale) { return (percent * full_scale + 50) / 100; }

int mireds_for(int kelvin, const MiredRange& range) {
  const int mireds = static_cast<int>(std::lround(1'000'000.0 / kelvin));
  return std::clamp(mireds, range.min, range.max);
}

void require(bool able, const LightDefinition& light, std::string_view what) {
  if (!able) {
    throw std::invalid_argument("the " + light.name + " cannot " + std::string(what));
  }
}

// Zigbee2MQTT and Home Assistant share the JSON keys; they differ in colour and scale.
boost::json::object json_command(const LightChange& change, int full_scale, bool color_as_hex) {
  boost::json::object json{{"state", change.turns_on() ? "ON" : "OFF"}};
  if (change.brightness_percent)
    json["brightness"] = scaled(*change.brightness_percent, full_scale);
  if (change.color) {
    if (color_as_hex) {
      json["color"] = {{"hex", change.color->hex()}};
    } else {
      json["color"] = {
          {"r", change.color->red}, {"g", change.color->green}, {"b", change.color->blue}};
    }
  }
  if (change.color_temp_mireds) json["color_temp"] = *change.color_temp_mireds;
  return json;
}

std::vector<MqttMessage> tasmota_commands(const LightDefinition& light, const LightChange& change) {
  // Dimmer, Color and CT switch a Tasmota light on by themselves, so POWER goes only when asked.
  std::vector<std::pair<std::string, std::string>> commands;
  if (change.power) commands.emplace_back("POWER", *change.power ? "ON" : "OFF");
  if (change.color) {
    commands.emplace_back("Color", std::to_string(change.color->red) + "," +
                                       std::to_string(change.color->green) + "," +
                                       std::to_string(change.color->blue));
  }
  if (change.color_temp_mireds)
    commands.emplace_back("CT", std::to_string(*change.color_temp_mireds));
  if (change.brightness_percent) {
    commands.emplace_back("Dimmer", std::to_string(*change.brightness_percent));
  }
  const std::string prefix = "cmnd/" + light.topic + "/";
  if (commands.size() == 1) return {{prefix + commands[0].first, commands[0].second}};
  std::string backlog;
  for (const auto& [command, value] : commands) {
    backlog += (backlog.empty() ? "" : "; ") + command + " " + value;
  }
  return {{prefix + "Backlog", backlog}};
}

}  // namespace

LightChange light_change_for(const LightDefinition& light, const LightCommand& command) {
  LightChange change;
  change.power = command.on;
  if (command.brightness_percent) {
    require(light.brightness, light, "be dimmed (it only turns on and off)");
    change.brightness_percent = command.brightness_percent;
  }
  if (command.color) {
    require(light.color, light, "show colours");
    change.color = command.color;
  }
  if (command.color_temp_kelvin) {
    require(light.color_temp, light, "change its colour temperature");
    change.color_temp_mireds = mireds_for(*command.color_temp_kelvin, light.mireds);
  }
  return change;
}

std::vector<MqttMessage> encode_light_change(const LightDefinition& light,
                                             const LightChange& change) {
  switch (light.dialect) {
    case LightDialect::home_assistant:
      return {{light.command_topic,
               boost::json::serialize(json_command(change, light.brightness_scale, false))}};
    case LightDialect::tasmota:
      return tasmota_commands(light, change);
    case LightDialect::zigbee2mqtt:
      break;
  }
  return {{light.topic + "/set",
           boost::json::serialize(json_command(change, kZigbeeFullBrightness, true))}};
}

LightState state_after(const LightState& previous, const LightChange& change) {
  LightState state = previous;
  state.on = change.turns_on();
  if (change.brightness_percent) state.brightness = scaled(*change.brightness_percent, 255);
  // A light shows one colour model at a time: the newest one wins.
  if (change.color) {
    state.color_hex = change.color->hex();
    state.color_temp_mireds.reset();
  }
  if (change.color_temp_mireds) {
    state.color_temp_mireds = change.color_temp_mireds;
    state.color_hex.reset();
  }
  return state;
}

boost::json::object to_json(const LightState& state) {
  boost::json::object json{{"on", state.on}};
  if (state.brightness) json["brightness"] = *state.brightness;
  if (state.color_hex) json["color"] = *state.color_hex;
  if (state.color_temp_mireds) json["color_temp_mireds"] = *state.color_temp_mireds;
  return json;
}

bool same_state(const LightState& a, const LightState& b) {
  return a.on == b.on && a.brightness == b.brightness &&
         a.color_temp_mireds == b.color_temp_mireds && a.color_hex == b.color_hex;
}

}  // namespace seer::agents
