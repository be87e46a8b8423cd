#pragma once
// The agent's entities in Home Assistant, announced through the mqtt plugin's discovery
// events: a `sensor` for her mood, a `binary_sensor` for a person in view and a `sensor` for
// the last description (state cut to HA's 255 characters, the whole text as an attribute).

#include <seer/agents/vision_report.hpp>
#include <seer/bus.hpp>

#include <string>

namespace seer::agents {

// Publishes `mqtt/discovery/register` for each entity (the mqtt plugin retains the configs and
// re-sends them when HA comes back online).
void announce_home_assistant_entities(Bus& bus, const std::string& agent);

// The states under `seer/<agent>/...`, retained, from a new report.
void publish_home_assistant_states(Bus& bus, const std::string& agent, const VisionReport& report);

// "seer/<agent>/<entity>": where each state goes.
std::string home_assistant_state_topic(const std::string& agent, std::string_view entity);

}  // namespace seer::agents
