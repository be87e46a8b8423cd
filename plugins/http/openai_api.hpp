#pragma once
// OpenAI's API over seer's models and agents: GET /v1/models and /v1/models/{id} (answered on
// the I/O thread) and POST /v1/chat/completions (parsed on the I/O thread, generated on the
// plugin's worker pool, like Ollama's /api/chat). Errors under /v1/ take OpenAI's shape.

#include "generation_pool.hpp"
#include "http_metrics.hpp"
#include "model_catalog.hpp"
#include "router.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>

namespace seer::http {

class OpenAiApi : public std::enable_shared_from_this<OpenAiApi> {
 public:
  // `metrics` (optional) counts every generation's tokens.
  OpenAiApi(const ServiceRegistry& registry, std::shared_ptr<GenerationPool> pool,
            std::shared_ptr<HttpMetrics> metrics = {});

  // The routes hold the API (and through it the pool) for as long as the router lives.
  void add_routes(Router& router);

 private:
  void list_models(const std::shared_ptr<HttpExchange>& exchange) const;
  void show_model(const std::shared_ptr<HttpExchange>& exchange) const;
  void chat_completions(const std::shared_ptr<HttpExchange>& exchange);
  boost::json::object describe(const CatalogModel& model) const;

  ModelCatalog catalog_;
  std::shared_ptr<GenerationPool> pool_;
  std::shared_ptr<HttpMetrics> metrics_;
  std::int64_t started_at_;  // Unix seconds: every model's `created`
};

}  // namespace seer::http
