#pragma once
// Ollama's /api/chat and /api/generate bodies read into seer's request types. Liberal in what
// is accepted (unknown keys are ignored), exact about the types of the keys it reads.

#include "generation_call.hpp"
#include "request_fields.hpp"

#include <seer/config.hpp>

#include <boost/json/value.hpp>

#include <string_view>

namespace seer::http {

// Throw BadRequest with a message for the client (bad JSON, a field of the wrong type, bad
// base64 or image).
GenerationCall parse_chat_call(std::string_view body);
GenerationCall parse_generate_call(std::string_view body);
// Ollama's Modelfile parameters that seer's models take (temperature, num_predict, top_k, ...);
// the others are ignored. Throws BadRequest for a value of the wrong type.
GenerationOptions read_ollama_options(const boost::json::object& options);
// Ollama's keep_alive: seconds as a number, or a Go duration string ("5m", "1h30m", "-1").
Duration parse_keep_alive(const boost::json::value& value);

}  // namespace seer::http
