// The HTTP plugin's body parsers on arbitrary text: Ollama's /api/chat and /api/generate and
// OpenAI's /v1/chat/completions. Each refuses bad input with BadRequest (a 400), nothing else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ollama_request.hpp"
#include "openai_request.hpp"

namespace http = seer::http;

namespace {

template <typename Parse>
void parse_refusing_only_bad_requests(Parse parse) {
  try {
    parse();
  } catch (const http::BadRequest&) {
    // The client gets the message with a 400.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  parse_refusing_only_bad_requests([&] { static_cast<void>(http::parse_chat_call(body)); });
  parse_refusing_only_bad_requests([&] { static_cast<void>(http::parse_generate_call(body)); });
  parse_refusing_only_bad_requests([&] { static_cast<void>(http::parse_openai_chat_call(body)); });
  return 0;
}
