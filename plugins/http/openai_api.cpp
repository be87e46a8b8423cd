#include "openai_api.hpp"

#include "generation_runner.hpp"
#include "openai_reply.hpp"
#include "openai_request.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>

#include <chrono>

namespace seer::http {
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

constexpr std::string_view kModelsPrefix = "/v1/models/";

std::string model_not_found(std::string_view name) {
  return "The model '" + std::string(name) + "' does not exist";
}

// The router's own errors (401, 404, 405) under /v1/, with the codes OpenAI gives them.
void router_error(HttpExchange& exchange, HttpStatus status, std::string_view message) {
  std::string_view code;
  if (status == HttpStatus::unauthorized) code = "invalid_api_key";
  if (status == HttpStatus::not_found) code = "unknown_url";
  respond_openai_error(exchange, status, message, code);
}

}  // namespace

OpenAiApi::OpenAiApi(const ServiceRegistry& registry, std::shared_ptr<GenerationPool> pool,
                     std::shared_ptr<HttpMetrics> metrics)
    : catalog_(registry),
      pool_(std::move(pool)),
      metrics_(std::move(metrics)),
      started_at_(std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count()) {}

void OpenAiApi::add_routes(Router& router) {
  const auto self = shared_from_this();
  router.set_error_writer("/v1/", router_error);
  router.add(verb::get, "/v1/models",
             [self](const auto& exchange) { self->list_models(exchange); });
  router.add_prefix(verb::get, std::string(kModelsPrefix),
                    [self](const auto& exchange) { self->show_model(exchange); });
  router.add(verb::post, "/v1/chat/completions",
             [self](const auto& exchange) { self->chat_completions(exchange); });
}

json::object OpenAiApi::describe(const CatalogModel& model) const {
  return {{"id", model.name}, {"object", "model"}, {"created", started_at_}, {"owned_by", "seer"}};
}

void OpenAiApi::list_models(const std::shared_ptr<HttpExchange>& exchange) const {
  json::array models;
  for (const CatalogModel& model : catalog_.list()) models.push_back(describe(model));
  exchange->respond_json(HttpStatus::ok,
                         json::object{{"object", "list"}, {"data", std::move(models)}});
}

void OpenAiApi::show_model(const std::shared_ptr<HttpExchange>& exchange) const {
  std::string_view id = exchange->request().target();
  id = id.substr(0, id.find('?')).substr(kModelsPrefix.size());
  const auto model = catalog_.find(id);
  if (!model) {
    return respond_openai_error(*exchange, HttpStatus::not_found, model_not_found(id),
                                "model_not_found", "model");
  }
  exchange->respond_json(HttpStatus::ok, describe(*model));
}

void OpenAiApi::chat_completions(const std::shared_ptr<HttpExchange>& exchange) {
  std::shared_ptr<OpenAiChatCall> call;
  try {
    call = std::make_shared<OpenAiChatCall>(parse_openai_chat_call(exchange->request().body()));
  } catch (const BadRequest& error) {
    return respond_openai_error(*exchange, HttpStatus::bad_request, error.what());
  }
  auto model = catalog_.find(call->generation.model);
  if (!model) {
    return respond_openai_error(*exchange, HttpStatus::not_found,
                                model_not_found(call->generation.model), "model_not_found",
                                "model");
  }
  if (!call->generation.chat.tools.empty() && !model->is_agent() && !model->info.tools) {
    return respond_openai_error(*exchange, HttpStatus::bad_request,
                                model->name + " does not support tools", {}, "tools");
  }
  auto reply = std::make_shared<OpenAiReply>(exchange, model->name, call->generation.stream,
                                             call->include_usage);
  const bool queued = pool_->submit([model = std::move(*model), call, reply, exchange,
                                     metrics = metrics_] {
    if (exchange->cancellation().stop_requested()) return;
    run_generation(model, call->generation, OllamaEndpoint::chat, *reply, *exchange, metrics.get());
  });
  if (!queued) {
    respond_openai_error(*exchange, HttpStatus::service_unavailable,
                         "server busy, please try again: too many requests are waiting");
  }
}

}  // namespace seer::http
