#pragma once
// The MQTT messages each dialect expects for a change, and the state each reports back.
// Pure functions: no bus, no broker.

#include <seer/agents/light_command.hpp>
#include <seer/agents/light_definition.hpp>
#include <seer/services/light_controller.hpp>

#include <boost/json/fwd.hpp>

#include <optional>
#include <string>
#include <vector>

namespace seer::agents {

// One light's change in the units it speaks, after its abilities and ranges were checked.
struct LightChange {
  std::optional<bool> power;  // asked for explicitly; otherwise a look change turns it on
  std::optional<int> brightness_percent;
  std::optional<RgbColor> color;
  std::optional<int> color_temp_mireds;  // within the light's own range
  bool turns_on() const { return power.value_or(true); }
};

struct MqttMessage {
  std::string topic;
  std::string payload;  // the exact bytes sent
  int qos = 1;
  bool retain = false;  // never: a retained command replays whenever the device reconnects
  friend bool operator==(const MqttMessage&, const MqttMessage&) = default;
};

// `command` for `light`: kelvin becomes mireds kept within the light's range (the one
// value ever adjusted). Throws std::invalid_argument when the light cannot do what is asked
// ("the ceiling cannot show colours").
LightChange light_change_for(const LightDefinition& light, const LightCommand& command);

// Zigbee2MQTT: one JSON message on `<topic>/set`. Home Assistant: one JSON message on
// `command_topic`. Tasmota: one plain command on `cmnd/<topic>/<Command>`, or a Backlog.
std::vector<MqttMessage> encode_light_change(const LightDefinition& light,
                                             const LightChange& change);

// The state after `change` was sent, as far as we know (brightness 0-255).
LightState state_after(const LightState& previous, const LightChange& change);

// `previous` updated with a state report the light published (`payload` as the mqtt plugin
// parsed it); nullopt when the payload says nothing about the light.
std::optional<LightState> read_state_report(const LightDefinition& light,
                                            const boost::json::value& payload,
                                            const LightState& previous);

boost::json::object to_json(const LightState& state);
bool same_state(const LightState& a, const LightState& b);

}  // namespace seer::agents
