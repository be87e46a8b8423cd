#pragma once
// Writes a generation's reply the way OpenAI's chat completions do: one chat.completion object,
// or server-sent events of chat.completion.chunk objects ending with `data: [DONE]`. Errors in
// OpenAI's shape, {"error": {"message", "type", "param", "code"}}.

#include "generation_runner.hpp"
#include "http_exchange.hpp"

#include <seer/services/generation.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace seer::http {

// OpenAI's error object; `type` follows the status, `code` is null when empty.
boost::json::object openai_error(HttpStatus status, std::string_view message,
                                 std::string_view code = {}, std::string_view param = {});
void respond_openai_error(HttpExchange& exchange, HttpStatus status, std::string_view message,
                          std::string_view code = {}, std::string_view param = {});
// "chatcmpl-" or "call_" and 24 random hex digits.
std::string random_id(std::string_view prefix);

class OpenAiReply final : public GenerationReply {
 public:
  OpenAiReply(std::shared_ptr<HttpExchange> exchange, std::string model, bool stream,
              bool include_usage);

  // Streams the piece as a chunk whose delta holds it, or keeps it for the single reply.
  bool piece(std::string_view text) override;
  // The chat.completion object, or the last chunks (tool calls, finish_reason, usage) and
  // [DONE]. `extension` goes under the "seer" key when not empty.
  void done(const GenerationResult& result, boost::json::object extension) override;
  // Before streaming began: the error object with `status`; after: a last `data:` event
  // holding it.
  void fail(HttpStatus status, std::string_view message) override;

 private:
  boost::json::object chunk(boost::json::object delta, boost::json::value finish_reason);
  bool send_event(const boost::json::object& event);

  std::shared_ptr<HttpExchange> exchange_;
  std::string model_;
  bool stream_;
  bool include_usage_;
  std::string id_ = random_id("chatcmpl-");
  std::int64_t created_;    // Unix seconds
  bool role_sent_ = false;  // the first chunk's delta carries the role
  std::string collected_;   // the pieces, when not streaming
};

}  // namespace seer::http
