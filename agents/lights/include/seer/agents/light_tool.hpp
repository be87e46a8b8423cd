#pragma once
// The `set_light` function offered to a chat model, in Ollama's `tools` form.

#include <seer/agents/light_definition.hpp>
#include <seer/services/chat_model.hpp>

#include <vector>

namespace seer::agents {

inline constexpr char kLightToolName[] = "set_light";

// A JSON schema with `light` as an enum of the names plus "all", `state` on/off,
// `brightness` 0-100 percent, `color` (a name or #rrggbb) and `color_temp_kelvin` within
// the range the lights share; parse_light_arguments reads what the model sends back.
ToolDefinition light_tool_definition(const std::vector<LightDefinition>& lights);

}  // namespace seer::agents
