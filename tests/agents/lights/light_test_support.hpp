#pragma once
// Three lights, one per dialect, as an agent file would define them.

#include <seer/agents/light_command.hpp>
#include <seer/agents/light_definition.hpp>
#include <seer/config.hpp>

#include <boost/json/serialize.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace seer::agents::test {

inline constexpr char kThreeLights[] = R"(tools:
  lights:
    - {name: desk lamp, aliases: [lamp], dialect: zigbee2mqtt, topic: zigbee2mqtt/desk_lamp}
    - {name: ceiling, dialect: home_assistant, command_topic: home/ceiling/set, state_topic: home/ceiling}
    - {name: strip, dialect: tasmota, topic: strip}
)";

inline std::vector<LightDefinition> lights_from(const std::string& yaml) {
  return read_light_definitions(ConfigNode::load_string(yaml, "sophia.yaml")["tools"]["lights"]);
}

inline std::vector<LightDefinition> three_lights() { return lights_from(kThreeLights); }

}  // namespace seer::agents::test

namespace seer::agents {
// Readable commands in test failures.
inline void PrintTo(const LightCommand& command, std::ostream* out) {
  *out << boost::json::serialize(to_json(command));
}
}  // namespace seer::agents
