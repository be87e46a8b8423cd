#pragma once
// OpenAI's chat completion body read into a GenerationCall. Liberal in what is accepted
// (unknown keys are ignored, content as a string or a list of parts), exact about the types of
// the keys it reads.

#include "generation_call.hpp"
#include "request_fields.hpp"

#include <string_view>

namespace seer::http {

struct OpenAiChatCall {
  GenerationCall generation;   // the model, stream, and the chat request
  bool include_usage = false;  // stream_options.include_usage: a last chunk with usage
};

// Throws BadRequest with a message for the client (bad JSON, a field of the wrong type, bad
// base64 or image, an image URL to fetch, n other than 1).
OpenAiChatCall parse_openai_chat_call(std::string_view body);

}  // namespace seer::http
