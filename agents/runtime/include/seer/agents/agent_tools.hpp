#pragma once
// The tools an agent offers her chat model (Ollama-style definitions) and runs when it calls
// them: `set_light` (agents/lights) and `look` (a fresh vision report). Arguments are checked
// by deterministic code; a bad call comes back to the model as {"error": "..."}.

#include <seer/agents/agent_eyes.hpp>
#include <seer/agents/light_definition.hpp>
#include <seer/services/agent.hpp>
#include <seer/services/chat_model.hpp>

#include <vector>

namespace seer::agents {

class MqttLights;

inline constexpr const char* kLookToolName = "look";

class AgentTools {
 public:
  // `lights` and `eyes` may be null (no lights, no eyes); both must outlive the tools.
  AgentTools(MqttLights* lights, std::vector<LightDefinition> light_definitions, AgentEyes* eyes,
             bool look_tool);

  std::vector<ToolDefinition> definitions() const;
  // Runs the call; never throws for what the model wrote (unknown tool, bad arguments).
  AgentAction run(const ToolCall& call, std::string_view source);

 private:
  MqttLights* lights_;
  std::vector<LightDefinition> light_definitions_;
  AgentEyes* eyes_;
  bool look_tool_;
};

}  // namespace seer::agents
