#pragma once
// An agent file (configs/agents/*.yaml, schema in docs/agents.md) read into one value: who the
// character is, which chat model she thinks with, what she sees, what she reacts to, what she
// may touch and how much she remembers.

#include <seer/agents/conversation_memory.hpp>
#include <seer/agents/light_definition.hpp>
#include <seer/agents/trigger_definition.hpp>
#include <seer/agents/vision_report_options.hpp>
#include <seer/config.hpp>
#include <seer/services/generation.hpp>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace seer::agents {

struct LlmSettings {
  std::string backend;  // the plugin instance whose chat model the agent uses; empty: none
  std::string model;    // sent with every request; empty: the backend's own
  GenerationOptions options;
  std::optional<Duration> keep_alive;
  int max_tool_rounds = 4;  // chat → tool calls → chat ... at most this many times per turn
  ConfigNode node;          // for errors found when the agent starts
};

struct VisionSettings {
  bool enabled = true;
  VisionReportOptions report;
  Duration freshness = std::chrono::seconds(30);  // an older report is taken again on a look
  ConfigNode node;
};

struct ToolSettings {
  std::vector<LightDefinition> lights;
  bool snapshot = true;  // the `look` tool: the model may take a fresh look itself
  ConfigNode node;
};

struct AgentDefinition {
  std::string name;
  std::string persona;
  LlmSettings llm;
  VisionSettings vision;
  std::vector<TriggerDefinition> triggers;
  ToolSettings tools;
  MemorySettings memory;
  bool home_assistant = true;  // announce mood, presence and description entities over MQTT
  ConfigNode root;
};

// The actions a trigger may name.
inline constexpr const char* kLookAction = "look";      // refresh what the agent sees
inline constexpr const char* kReportAction = "report";  // look, then publish the report

ConfigSchema agent_schema();

// Every problem an agent file has, each "file:line:col: error: key '...': message".
class AgentDefinitionError : public std::runtime_error {
 public:
  explicit AgentDefinitionError(std::vector<std::string> problems);
  // One problem, written as the diagnostic "file:line:col: error: key '...': message".
  explicit AgentDefinitionError(const ConfigError& error);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Throws AgentDefinitionError listing the schema's findings (unknown keys included: in an
// agent file a typo is an error), or the first value that cannot be used.
AgentDefinition read_agent_definition(const ConfigNode& root);
AgentDefinition load_agent_file(const std::filesystem::path& path);

}  // namespace seer::agents
