#include <seer/agents/agent_tools.hpp>
#include <seer/agents/light_command.hpp>
#include <seer/agents/light_tool.hpp>
#include <seer/agents/mqtt_lights.hpp>
#include <seer/agents/observation.hpp>

#include <stdexcept>

namespace seer::agents {
namespace {

ToolDefinition look_tool_definition() {
  return {.name = kLookToolName,
          .description =
              "Look through the camera now. Returns who is in view, their mood and a "
              "description of the scene. Use it when the user asks what you see or "
              "how they look and your last look is old.",
          .parameters = {{"type", "object"}, {"properties", boost::json::object{}}}};
}

boost::json::value error_result(std::string message) {
  return boost::json::object{{"error", std::move(message)}};
}

}  // namespace

AgentTools::AgentTools(MqttLights* lights, std::vector<LightDefinition> light_definitions,
                       AgentEyes* eyes, bool look_tool)
    : lights_(lights),
      light_definitions_(std::move(light_definitions)),
      eyes_(eyes),
      look_tool_(look_tool && eyes != nullptr && eyes->can_see()) {}

std::vector<ToolDefinition> AgentTools::definitions() const {
  std::vector<ToolDefinition> tools;
  if (lights_) tools.push_back(light_tool_definition(light_definitions_));
  if (look_tool_) tools.push_back(look_tool_definition());
  return tools;
}

AgentAction AgentTools::run(const ToolCall& call, std::string_view source) {
  AgentAction action{.tool = call.name, .arguments = call.arguments, .result = nullptr};
  try {
    if (lights_ && call.name == kLightToolName) {
      action.result = lights_->apply(parse_light_arguments(call.arguments), source);
    } else if (look_tool_ && call.name == kLookToolName) {
      const AgentEyes::Seen seen = eyes_->look(source);
      action.result =
          boost::json::object{{"observation", observation_text(seen.report, AgentEyes::age(seen))}};
    } else {
      std::string known;
      for (const ToolDefinition& tool : definitions())
        known += (known.empty() ? "" : ", ") + tool.name;
      action.result = error_result("there is no tool '" + call.name +
                                   "'; the tools are: " + (known.empty() ? "none" : known));
    }
  } catch (const std::exception& error) {
    action.result = error_result(error.what());
  }
  return action;
}

}  // namespace seer::agents
