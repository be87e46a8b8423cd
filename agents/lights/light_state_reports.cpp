#include <seer/agents/light_dialects.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace seer::agents {
namespace {

constexpr int kZigbeeFullBrightness = 254;
constexpr int kTasmotaFullDimmer = 100;

// A device's brightness on LightState's 0-255 scale.
int to_full_scale(std::int64_t value, int full_scale) {
  const std::int64_t clamped = std::clamp<std::int64_t>(value, 0, full_scale);
  return static_cast<int>((clamped * 255 + full_scale / 2) / full_scale);
}

std::optional<std::int64_t> integer_at(const boost::json::object& json, std::string_view key) {
  const boost::json::value* value = json.if_contains(key);
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (value->is_double()) return static_cast<std::int64_t>(value->as_double());
  return std::nullopt;
}

std::optional<bool> power_at(const boost::json::object& json, std::string_view key) {
  const boost::json::value* value = json.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  if (value->as_string() == "ON") return true;
  if (value->as_string() == "OFF") return false;
  return std::nullopt;
}

std::optional<std::string> hex_from_rgb(const boost::json::object& color) {
  const auto red = integer_at(color, "r");
  const auto green = integer_at(color, "g");
  const auto blue = integer_at(color, "b");
  if (!red || !green || !blue) return std::nullopt;
  const auto channel = [](std::int64_t v) {
    return static_cast<std::uint8_t>(std::clamp<std::int64_t>(v, 0, 255));
  };
  return RgbColor{channel(*red), channel(*green), channel(*blue)}.hex();
}

// Zigbee2MQTT reports `color` as {hex}, {r,g,b} or only {x,y}/{hue,saturation}; the last
// two are left unknown rather than approximated.
std::optional<std::string> json_color(const boost::json::object& json) {
  const boost::json::value* color = json.if_contains("color");
  if (color == nullptr || !color->is_object()) return std::nullopt;
  if (const boost::json::value* hex = color->as_object().if_contains("hex");
      hex != nullptr && hex->is_string()) {
    if (const auto parsed = color_from_text(hex->as_string())) return parsed->hex();
  }
  return hex_from_rgb(color->as_object());
}

// Tasmota's Color is "FF8000" (or longer with white channels) or "255,128,0".
std::optional<std::string> tasmota_color(const boost::json::object& json) {
  const boost::json::value* color = json.if_contains("Color");
  if (color == nullptr || !color->is_string()) return std::nullopt;
  const std::string_view text = color->as_string();
  if (text.find(',') != std::string_view::npos) {
    int channels[3] = {0, 0, 0};
    const char* position = text.data();
    const char* end = text.data() + text.size();
    for (int i = 0; i < 3; ++i) {
      const auto [next, error] = std::from_chars(position, end, channels[i]);
      if (error != std::errc() || channels[i] < 0 || channels[i] > 255) return std::nullopt;
      position = next < end ? next + 1 : next;
    }
    return RgbColor{static_cast<std::uint8_t>(channels[0]), static_cast<std::uint8_t>(channels[1]),
                    static_cast<std::uint8_t>(channels[2])}
        .hex();
  }
  if (text.size() < 6) return std::nullopt;
  const auto parsed = color_from_text("#" + std::string(text.substr(0, 6)));
  if (!parsed) return std::nullopt;
  return parsed->hex();
}

// The colour and temperature a report names; a light shows one of them at a time.
void apply_look(std::optional<std::string> color, std::optional<std::int64_t> mireds,
                std::optional<std::string> color_mode, LightState& state) {
  if (color_mode == "color_temp" && mireds) {
    state.color_temp_mireds = static_cast<int>(*mireds);
    state.color_hex.reset();
  } else if (color) {
    state.color_hex = *color;
    state.color_temp_mireds.reset();
  } else if (mireds) {
    state.color_temp_mireds = static_cast<int>(*mireds);
    state.color_hex.reset();
  }
}

std::optional<std::string> string_at(const boost::json::object& json, std::string_view key) {
  const boost::json::value* value = json.if_contains(key);
  if (value == nullptr || !value->is_string()) return std::nullopt;
  return std::string(value->as_string());
}

std::optional<LightState> read_json_report(const boost::json::object& json, int full_scale,
                                           const LightState& previous) {
  const auto on = power_at(json, "state");
  const auto brightness = integer_at(json, "brightness");
  const auto mireds = integer_at(json, "color_temp");
  const auto color = json_color(json);
  if (!on && !brightness && !mireds && !color) return std::nullopt;
  LightState state = previous;
  if (on) state.on = *on;
  if (brightness) state.brightness = to_full_scale(*brightness, full_scale);
  // Zigbee2MQTT keeps reporting the last colour_temp while in colour mode: color_mode says
  // which one the light shows.
  apply_look(color, mireds, string_at(json, "color_mode"), state);
  return state;
}

std::optional<LightState> read_tasmota_report(const boost::json::object& json,
                                              const LightState& previous) {
  auto on = power_at(json, "POWER");
  if (!on) on = power_at(json, "POWER1");
  const auto dimmer = integer_at(json, "Dimmer");
  const auto mireds = integer_at(json, "CT");
  const auto color = tasmota_color(json);
  if (!on && !dimmer && !mireds && !color) return std::nullopt;
  LightState state = previous;
  if (on) state.on = *on;
  if (dimmer) state.brightness = to_full_scale(*dimmer, kTasmotaFullDimmer);
  // Tasmota reports both CT and Color always; a white (all channels equal or zero) colour
  // means the light shows its temperature.
  std::optional<std::string> shown_color = color;
  if (color && mireds && (*color == "#000000" || *color == "#ffffff")) shown_color.reset();
  apply_look(shown_color, shown_color ? std::nullopt : mireds, std::nullopt, state);
  return state;
}

}  // namespace

std::optional<LightState> read_state_report(const LightDefinition& light,
                                            const boost::json::value& payload,
                                            const LightState& previous) {
  if (!payload.is_object()) return std::nullopt;
  const boost::json::object& json = payload.as_object();
  switch (light.dialect) {
    case LightDialect::home_assistant:
      return read_json_report(json, light.brightness_scale, previous);
    case LightDialect::tasmota:
      return read_tasmota_report(json, previous);
    case LightDialect::zigbee2mqtt:
      break;
  }
  return read_json_report(json, kZigbeeFullBrightness, previous);
}

}  // namespace seer::agents
