#pragma once
// The lights an agent may switch, as its file's `tools.lights` list describes them.

#include <seer/config.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace seer::agents {

// How a light is spoken to over MQTT.
enum class LightDialect { zigbee2mqtt, home_assistant, tasmota };

std::string_view to_string(LightDialect dialect);

// A colour-temperature range in mireds (1,000,000 / kelvin): `min` is the coolest.
struct MiredRange {
  int min = 153;
  int max = 500;
};

struct LightDefinition {
  std::string name;  // as the agent and the user call it, e.g. "desk lamp"
  std::vector<std::string> aliases;
  LightDialect dialect = LightDialect::zigbee2mqtt;
  // Zigbee2MQTT: the device's topic (state there, commands on `<topic>/set`).
  // Tasmota: the device's %topic% (commands on `cmnd/<topic>/...`).
  std::string topic;
  // Home Assistant JSON schema: where commands go and (optionally) where state comes back.
  std::string command_topic;
  std::string state_topic;
  int brightness_scale = 255;  // Home Assistant's `brightness_scale`
  bool brightness = true;
  bool color = true;
  bool color_temp = true;
  MiredRange mireds;
  SourceLocation location;
};

// The keys of one `tools.lights` item, for documentation and `seer config check`.
ConfigSchema light_definition_schema();

// Reads the `tools.lights` list. Throws ConfigError located at the offending key for unknown
// keys or dialects, missing or malformed topics, and names or aliases used twice.
std::vector<LightDefinition> read_light_definitions(const ConfigNode& list);

// The light called `name` (its name or an alias, any case), or nullptr.
const LightDefinition* find_light(const std::vector<LightDefinition>& lights,
                                  std::string_view name);

// The MQTT topics on which a light reports its state (none for an HA light without one).
std::vector<std::string> state_report_topics(const LightDefinition& light);

}  // namespace seer::agents
