#include <seer/agents/agent_host.hpp>

#include <fmt/format.h>

#include <set>

namespace seer::agents {
namespace {

constexpr const char* kProvider = "agents";

AgentDefinitionError located(const ConfigNode& node, const std::string& message) {
  return AgentDefinitionError(node.error(message));
}

const PluginStatus* find_instance(const std::vector<PluginStatus>& plugins,
                                  std::string_view instance) {
  for (const PluginStatus& plugin : plugins) {
    if (plugin.instance == instance) return &plugin;
  }
  return nullptr;
}

std::shared_ptr<ChatModel> bind_chat_model(const AgentDefinition& agent,
                                           const ServiceRegistry& registry,
                                           const std::vector<PluginStatus>& plugins) {
  const std::string& backend = agent.llm.backend;
  if (backend.empty()) return nullptr;
  if (auto model = registry.find<ChatModel>(backend)) return model;
  const ConfigNode where = agent.llm.node["backend"];
  const PluginStatus* instance = find_instance(plugins, backend);
  if (!instance) {
    std::string configured;
    for (const PluginStatus& plugin : plugins) {
      configured += (configured.empty() ? "" : ", ") + plugin.instance;
    }
    throw located(where, fmt::format("unknown plugin instance '{}': add it under `plugins:` "
                                     "(a bagel or ollama plugin); configured: {}",
                                     backend, configured.empty() ? "none" : configured));
  }
  if (instance->health.state == HealthState::failed ||
      instance->health.state == HealthState::stopped) {
    throw located(where, fmt::format("plugin instance '{}' is not running ({}: {})", backend,
                                     to_string(instance->health.state), instance->health.reason));
  }
  throw located(where, fmt::format("plugin instance '{}' (plugin {}) provides no chat model",
                                   backend, instance->plugin));
}

std::unique_ptr<VisionReportPipeline> bind_vision(const AgentDefinition& agent,
                                                  const ServiceRegistry& registry) {
  const VisionSettings& vision = agent.vision;
  if (!vision.enabled) return nullptr;
  const ConfigNode where = vision.node.defined() ? vision.node : agent.root;
  VisionReportServices services;
  try {
    services = find_vision_report_services(registry, vision.report.services);
  } catch (const std::invalid_argument& error) {
    throw located(vision.node["services"], error.what());
  }
  if (!services.camera) {
    throw located(where, fmt::format("agent '{}' sees, but there is no camera: add a camera "
                                     "plugin instance, or set vision.enabled: false",
                                     agent.name));
  }
  if (!services.face_detector) {
    throw located(where, fmt::format("agent '{}' sees, but there is no face detector: add a "
                                     "faces plugin instance, or set vision.enabled: false",
                                     agent.name));
  }
  try {
    return std::make_unique<VisionReportPipeline>(std::move(services), vision.report);
  } catch (const std::invalid_argument& error) {
    throw located(where, error.what());
  }
}

}  // namespace

std::vector<AgentDefinition> read_agents_section(const ConfigNode& section) {
  std::vector<AgentDefinition> agents;
  if (!section.defined() || section.is_null()) return agents;
  std::vector<std::string> problems;
  std::set<std::string> names;
  for (const ConfigNode& item : section.items()) {
    try {
      AgentDefinition agent;
      if (item.is_scalar()) {
        std::filesystem::path path = item.as_string();
        if (path.is_relative()) {
          path = std::filesystem::path(item.location().file).parent_path() / path;
        }
        if (!std::filesystem::exists(path)) {
          throw located(item, "no agent file " + path.string());
        }
        agent = load_agent_file(path);
      } else {
        agent = read_agent_definition(item);
      }
      if (!names.insert(agent.name).second) {
        throw located(agent.root["name"], "a second agent named '" + agent.name + "'");
      }
      agents.push_back(std::move(agent));
    } catch (const AgentDefinitionError& error) {
      problems.insert(problems.end(), error.problems().begin(), error.problems().end());
    } catch (const ConfigError& error) {
      problems.push_back(AgentDefinitionError(error).problems().front());
    }
  }
  if (!problems.empty()) throw AgentDefinitionError(std::move(problems));
  return agents;
}

RunningAgent::Parts bind_agent(const AgentDefinition& agent, const ServiceRegistry& registry,
                               const std::vector<PluginStatus>& plugins) {
  RunningAgent::Parts parts;
  parts.chat_model = bind_chat_model(agent, registry, plugins);
  parts.vision = bind_vision(agent, registry);
  return parts;
}

AgentHost::AgentHost(Bus& bus, ServiceRegistry& registry) : bus_(bus), registry_(registry) {}

AgentHost::~AgentHost() { stop(); }

void AgentHost::start(std::vector<AgentDefinition> definitions,
                      const std::vector<PluginStatus>& plugins) {
  std::vector<std::string> problems;
  std::vector<RunningAgent::Parts> bound;
  for (const AgentDefinition& definition : definitions) {
    try {
      bound.push_back(bind_agent(definition, registry_, plugins));
    } catch (const AgentDefinitionError& error) {
      problems.insert(problems.end(), error.problems().begin(), error.problems().end());
    }
  }
  if (!problems.empty()) throw AgentDefinitionError(std::move(problems));
  for (std::size_t i = 0; i < definitions.size(); ++i) {
    auto agent =
        std::make_shared<RunningAgent>(std::move(definitions[i]), std::move(bound[i]), bus_);
    agent->start();
    registry_.add<Agent>(agent->name(), agent, kProvider);
    agents_.push_back(std::move(agent));
  }
}

void AgentHost::stop() {
  if (agents_.empty()) return;
  registry_.remove_provider(kProvider);
  for (const auto& agent : agents_) agent->stop();
  agents_.clear();
}

std::shared_ptr<RunningAgent> AgentHost::find(std::string_view name) const {
  for (const auto& agent : agents_) {
    if (agent->name() == name) return agent;
  }
  return nullptr;
}

}  // namespace seer::agents
