#pragma once
// Ollama's API over seer's models and agents: /api/version, /api/tags, /api/show, /api/ps
// (answered on the I/O thread, they only read the registry) and /api/chat, /api/generate
// (parsed on the I/O thread, generated on the plugin's worker pool).

#include "generation_pool.hpp"
#include "generation_runner.hpp"
#include "http_metrics.hpp"
#include "model_catalog.hpp"
#include "ollama_reply.hpp"
#include "ollama_request.hpp"
#include "router.hpp"

#include <chrono>
#include <memory>

namespace seer::http {

// The Ollama version whose API is emulated, for clients that check it.
inline constexpr char kOllamaApiVersion[] = "0.12.0";

class OllamaApi : public std::enable_shared_from_this<OllamaApi> {
 public:
  // `metrics` (optional) counts every generation's tokens. `GET /` is the console's route.
  OllamaApi(const ServiceRegistry& registry, std::shared_ptr<GenerationPool> pool,
            std::shared_ptr<HttpMetrics> metrics = {});

  // The routes hold the API (and through it the pool) for as long as the router lives.
  void add_routes(Router& router);

 private:
  void tags(const std::shared_ptr<HttpExchange>& exchange) const;
  void show(const std::shared_ptr<HttpExchange>& exchange) const;
  void running(const std::shared_ptr<HttpExchange>& exchange) const;
  void generation(const std::shared_ptr<HttpExchange>& exchange, OllamaEndpoint endpoint);
  // Ollama's load-only request (no prompt or messages) and unload request (keep_alive 0).
  void load_or_unload(const CatalogModel& model, const std::shared_ptr<GenerationCall>& call,
                      const std::shared_ptr<OllamaReply>& reply,
                      const std::shared_ptr<HttpExchange>& exchange);
  boost::json::object describe(const CatalogModel& model) const;

  ModelCatalog catalog_;
  std::shared_ptr<GenerationPool> pool_;
  std::shared_ptr<HttpMetrics> metrics_;
  std::chrono::system_clock::time_point started_at_ = std::chrono::system_clock::now();
};

}  // namespace seer::http
