#pragma once
// The agents of a configuration: read from its `agents:` section (files or inline maps),
// bound to the running plugins' services, started, and registered as `seer.agent/1` services
// under their names.

#include <seer/agents/agent_definition.hpp>
#include <seer/agents/running_agent.hpp>
#include <seer/bus.hpp>
#include <seer/host/runtime.hpp>
#include <seer/service_registry.hpp>

#include <memory>
#include <string_view>
#include <vector>

namespace seer::agents {

// Each item of `agents:` is a path (relative to the file that names it) or an inline agent.
// Throws AgentDefinitionError with the problems of every agent, and for two agents with one
// name.
std::vector<AgentDefinition> read_agents_section(const ConfigNode& section);

// What an agent needs from the running plugins. Throws AgentDefinitionError located at the
// key that names what is missing: a backend instance that is not configured, not running or
// provides no chat model; no camera or face detector for an agent that sees; a named service
// that does not exist.
RunningAgent::Parts bind_agent(const AgentDefinition& agent, const ServiceRegistry& registry,
                               const std::vector<PluginStatus>& plugins);

class AgentHost {
 public:
  AgentHost(Bus& bus, ServiceRegistry& registry);
  ~AgentHost();
  AgentHost(const AgentHost&) = delete;
  AgentHost& operator=(const AgentHost&) = delete;

  // Binds every agent first (nothing starts when one cannot be bound), then starts them.
  void start(std::vector<AgentDefinition> definitions, const std::vector<PluginStatus>& plugins);
  // Stops the agents and removes their services. Idempotent.
  void stop();

  const std::vector<std::shared_ptr<RunningAgent>>& agents() const { return agents_; }
  std::shared_ptr<RunningAgent> find(std::string_view name) const;

 private:
  Bus& bus_;
  ServiceRegistry& registry_;
  std::vector<std::shared_ptr<RunningAgent>> agents_;
};

}  // namespace seer::agents
