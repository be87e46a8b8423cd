#pragma once
// The body of a POST /api/chat: seer's ChatRequest in Ollama's words, streaming on.

#include "ollama_settings.hpp"

#include <seer/services/chat_model.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

namespace seer::ollama {

// Throws std::invalid_argument for a request Ollama could not take (an empty image, a
// `format` that is neither "json" nor a JSON schema).
boost::json::object chat_request_body(const ChatRequest& request, const OllamaSettings& settings);

// The settings' options with the request's merged over them: a request field left at
// GenerationOptions' default gives way to the same option in the settings.
boost::json::object merged_options(const GenerationOptions& request,
                                   const boost::json::object& configured);

// Ollama's keep_alive: -1 for ever, whole seconds as a number, "1500ms" otherwise.
boost::json::value keep_alive_json(Duration keep_alive);

}  // namespace seer::ollama
