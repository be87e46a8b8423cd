#pragma once
// The worker side of a generation, whichever API asked for it: which service answers (the
// agent, the vision-language model or the chat model), and the reply that writes its pieces
// and result in the API's shape.

#include "generation_call.hpp"
#include "http_exchange.hpp"
#include "http_metrics.hpp"
#include "model_catalog.hpp"

#include <seer/services/generation.hpp>

#include <boost/json/object.hpp>

#include <string_view>

namespace seer::http {

// How one API writes a generation's reply (Ollama's NDJSON, OpenAI's server-sent events).
class GenerationReply {
 public:
  virtual ~GenerationReply() = default;
  // A TokenCallback's work: streams the piece or keeps it. False once the client has gone.
  virtual bool piece(std::string_view text) = 0;
  // The end of the reply. `extension` (an agent's vision report and actions) when not empty.
  virtual void done(const GenerationResult& result, boost::json::object extension) = 0;
  // An error before streaming began (with `status`) or after (in the stream's own shape).
  virtual void fail(HttpStatus status, std::string_view message) = 0;
};

// Runs one call on a worker. Never throws: failures go to `reply.fail`. `metrics` (optional)
// counts the tokens and time of the generation.
void run_generation(const CatalogModel& model, const GenerationCall& call, OllamaEndpoint endpoint,
                    GenerationReply& reply, const HttpExchange& exchange,
                    HttpMetrics* metrics = nullptr);

}  // namespace seer::http
