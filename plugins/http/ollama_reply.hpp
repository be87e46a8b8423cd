#pragma once
// Writes a generation's reply the way Ollama does: NDJSON chunks then a final chunk with
// done_reason and every duration in nanoseconds, or one JSON object when stream is false.

#include "generation_runner.hpp"
#include "http_exchange.hpp"

#include <seer/services/generation.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace seer::http {

// RFC 3339 in UTC with nanoseconds, as Ollama writes created_at.
std::string rfc3339(std::chrono::system_clock::time_point time);

class OllamaReply final : public GenerationReply {
 public:
  OllamaReply(std::shared_ptr<HttpExchange> exchange, OllamaEndpoint endpoint, std::string model,
              bool stream);

  // Streams the piece as an NDJSON chunk, or keeps it for the single reply.
  bool piece(std::string_view text) override;
  // The final chunk (or the whole reply). `extension` goes under the "seer" key when not empty.
  void done(const GenerationResult& result, boost::json::object extension) override;
  // Load-only and unload requests: no generation, one JSON object with this done_reason.
  void done_without_generation(std::string_view done_reason);
  // Before streaming began: {"error"} with `status`; after: a last NDJSON line {"error"}.
  void fail(HttpStatus status, std::string_view message) override;

 private:
  boost::json::object chunk(std::string_view text) const;
  void begin_stream_once();

  std::shared_ptr<HttpExchange> exchange_;
  OllamaEndpoint endpoint_;
  std::string model_;
  bool stream_;
  std::string collected_;  // the pieces, when not streaming
};

}  // namespace seer::http
