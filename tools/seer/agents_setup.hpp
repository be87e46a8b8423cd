#pragma once
// Starting the agents of a configuration (`agents:`) over a runtime whose plugins are up;
// `seer run` and `seer agent` share it.

#include <seer/agents/agent_host.hpp>
#include <seer/host/runtime.hpp>

#include <memory>

namespace seer::cli {

// Prints every problem (file:line:col: key) on stderr and returns null when an agent cannot
// be read or bound; an empty host when the configuration has no agents.
std::unique_ptr<agents::AgentHost> start_agents(Runtime& runtime, const ConfigNode& root);

}  // namespace seer::cli
