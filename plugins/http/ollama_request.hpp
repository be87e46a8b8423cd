#pragma once
// Ollama's /api/chat and /api/generate bodies read into seer's request types. Liberal in what
// is accepted (unknown keys are ignored), exact about the types of the keys it reads.

#include "base64_image.hpp"

#include <seer/image.hpp>
#include <seer/services/chat_model.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seer::http {

struct OllamaCall {
  std::string model;
  bool stream = true;
  // Messages (for /api/generate: the system prompt and one user message), options, tools,
  // format and keep_alive, as a chat model takes them.
  ChatRequest chat;
  bool has_options = false;  // the client sent `options` (agents keep their own otherwise)
  // /api/generate's own fields.
  std::string prompt;
  std::vector<Image> images;
  // Nothing to generate: chat with no messages or generate with an empty prompt.
  bool load_only() const;
};

// Throw BadRequest with a message for the client (bad JSON, a field of the wrong type, bad
// base64 or image).
OllamaCall parse_chat_call(std::string_view body);
OllamaCall parse_generate_call(std::string_view body);
// Ollama's Modelfile parameters that seer's models take (temperature, num_predict, top_k, ...);
// the others are ignored. Throws BadRequest for a value of the wrong type.
GenerationOptions read_ollama_options(const boost::json::object& options);
// The JSON object of a body; throws BadRequest for an empty body or one that is not an object.
boost::json::object parse_body_object(std::string_view body);
// Ollama's keep_alive: seconds as a number, or a Go duration string ("5m", "1h30m", "-1").
Duration parse_keep_alive(const boost::json::value& value);

}  // namespace seer::http
