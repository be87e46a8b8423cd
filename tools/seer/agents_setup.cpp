#include "agents_setup.hpp"

#include <iostream>

namespace seer::cli {

std::unique_ptr<agents::AgentHost> start_agents(Runtime& runtime, const ConfigNode& root) {
  auto host = std::make_unique<agents::AgentHost>(runtime.bus(), runtime.registry());
  try {
    host->start(agents::read_agents_section(root["agents"]), runtime.status());
  } catch (const agents::AgentDefinitionError& error) {
    for (const std::string& problem : error.problems()) std::cerr << problem << '\n';
    return nullptr;
  }
  return host;
}

}  // namespace seer::cli
