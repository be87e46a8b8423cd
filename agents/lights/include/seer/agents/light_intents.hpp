#pragma once
// Simple English light commands understood without a model: "turn the lights red",
// "lights off", "dim the lamp to 30%", "make the lights warm white", "lights to 2700K".

#include <seer/agents/light_command.hpp>
#include <seer/agents/light_definition.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace seer::agents {

// The command `text` gives, or nullopt when it gives none: a sentence that only mentions
// lights ("I like your lights"), a question ("what colour is the lamp?"), a negation
// ("don't turn the lights off"), an unknown or ambiguous light, or a contradiction ("turn
// on and off"). Case- and punctuation-insensitive, whole words; one leading "Sophia," or
// "please" is fine. Values are as spoken: "dim to 140%" gives brightness 140, which
// validate_light_command (and MqttLights::apply) then refuses with a message to say.
std::optional<LightCommand> parse_light_intent(std::string_view text,
                                               const std::vector<LightDefinition>& lights);

}  // namespace seer::agents
