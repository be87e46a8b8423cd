#pragma once
#include <optional>
#include <string>
#include <vector>

namespace seer {

struct LightState {
  bool on = false;
  std::optional<int> brightness;  // 0..255
  std::optional<int> color_temp_mireds;
  std::optional<std::string> color_hex;  // "#rrggbb"
};

// Smart-home lights, however they are reached (MQTT, Home Assistant, Tasmota).
class LightController {
 public:
  static constexpr std::string_view interface_id = "seer.light_controller/1";
  virtual ~LightController() = default;
  virtual std::vector<std::string> lights() const = 0;
  virtual std::optional<LightState> state(const std::string& light) const = 0;
  // Throws std::invalid_argument for an unknown light.
  virtual void set(const std::string& light, const LightState& state) = 0;
};

}  // namespace seer
