#pragma once
// Writes a generation's reply the way Ollama does: NDJSON chunks then a final chunk with
// done_reason and every duration in nanoseconds, or one JSON object when stream is false.

#include "http_exchange.hpp"
#include "http_metrics.hpp"

#include <seer/services/generation.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace seer::http {

enum class OllamaEndpoint { chat, generate };

// RFC 3339 in UTC with nanoseconds, as Ollama writes created_at.
std::string rfc3339(std::chrono::system_clock::time_point time);

class OllamaReply {
 public:
  // `metrics` (optional) counts the tokens and time of every generation done() reports.
  OllamaReply(std::shared_ptr<HttpExchange> exchange, OllamaEndpoint endpoint, std::string model,
              bool stream, std::shared_ptr<HttpMetrics> metrics = {});

  // A TokenCallback's work: streams the piece, or keeps it for the single reply. False once
  // the client has gone.
  bool piece(std::string_view text);
  // The final chunk (or the whole reply). `extension` goes under the "seer" key when not empty.
  void done(const GenerationResult& result, boost::json::object extension = {});
  // Load-only and unload requests: no generation, one JSON object with this done_reason.
  void done_without_generation(std::string_view done_reason);
  // Before streaming began: {"error"} with `status`; after: a last NDJSON line {"error"}.
  void fail(HttpStatus status, std::string_view message);

 private:
  boost::json::object chunk(std::string_view text) const;
  void begin_stream_once();

  std::shared_ptr<HttpExchange> exchange_;
  OllamaEndpoint endpoint_;
  std::string model_;
  bool stream_;
  std::shared_ptr<HttpMetrics> metrics_;
  std::string collected_;  // the pieces, when not streaming
};

}  // namespace seer::http
