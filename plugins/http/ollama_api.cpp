#include "ollama_api.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>

#include <openssl/evp.h>

#include <array>
#include <cstdio>

namespace seer::http {
namespace json = boost::json;
using boost::beast::http::verb;

namespace {

// A stable stand-in for a weights digest: SHA-256 of the model's name.
std::string name_digest(std::string_view name) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(name.data(), name.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    char byte[3];
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

// What Ollama reports for a model kept for ever (keep_alive -1).
constexpr char kNeverExpires[] = "2318-01-01T00:00:00Z";

// Ollama's way of writing a parameter count: "7.3B", "180.5M".
std::string parameter_size_text(std::uint64_t parameters) {
  char text[32];
  if (parameters >= 1'000'000'000) {
    std::snprintf(text, sizeof text, "%.1fB", static_cast<double>(parameters) / 1e9);
  } else {
    std::snprintf(text, sizeof text, "%.1fM", static_cast<double>(parameters) / 1e6);
  }
  return text;
}

std::string model_name_of(const std::shared_ptr<HttpExchange>& exchange) {
  const json::object body = parse_body_object(exchange->request().body());
  // Ollama's older clients send "name" instead of "model".
  for (const char* key : {"model", "name"}) {
    if (const json::value* value = body.if_contains(key); value && value->is_string()) {
      return std::string(value->get_string());
    }
  }
  throw BadRequest("model is required");
}

}  // namespace

OllamaApi::OllamaApi(const ServiceRegistry& registry, std::shared_ptr<GenerationPool> pool,
                     std::shared_ptr<HttpMetrics> metrics)
    : catalog_(registry), pool_(std::move(pool)), metrics_(std::move(metrics)) {}

void OllamaApi::add_routes(Router& router) {
  router.add(verb::get, "/api/version", [](const auto& exchange) {
    exchange->respond_json(HttpStatus::ok, json::object{{"version", kOllamaApiVersion}});
  });
  const auto self = shared_from_this();
  router.add(verb::get, "/api/tags", [self](const auto& exchange) { self->tags(exchange); });
  router.add(verb::post, "/api/show", [self](const auto& exchange) { self->show(exchange); });
  router.add(verb::get, "/api/ps", [self](const auto& exchange) { self->running(exchange); });
  router.add(verb::post, "/api/chat",
             [self](const auto& exchange) { self->generation(exchange, OllamaEndpoint::chat); });
  router.add(verb::post, "/api/generate", [self](const auto& exchange) {
    self->generation(exchange, OllamaEndpoint::generate);
  });
}

json::object OllamaApi::describe(const CatalogModel& model) const {
  json::array families{json::value(model.family())};
  std::uint64_t size = 0;
  std::string parameter_size;
  std::string quantization;
  if (model.residency) {
    const ModelResidencyStatus status = model.residency->status();
    size = status.size_bytes;
    if (status.parameters > 0) parameter_size = parameter_size_text(status.parameters);
    quantization = status.quantization;
  }
  return {{"name", model.name},
          {"model", model.name},
          {"modified_at", rfc3339(started_at_)},
          {"size", size},
          {"digest", name_digest(model.name)},
          {"details", json::object{{"parent_model", ""},
                                   {"format", "seer"},
                                   {"family", model.family()},
                                   {"families", std::move(families)},
                                   {"parameter_size", parameter_size},
                                   {"quantization_level", quantization}}}};
}

void OllamaApi::tags(const std::shared_ptr<HttpExchange>& exchange) const {
  json::array models;
  for (const CatalogModel& model : catalog_.list()) models.push_back(describe(model));
  exchange->respond_json(HttpStatus::ok, json::object{{"models", std::move(models)}});
}

void OllamaApi::running(const std::shared_ptr<HttpExchange>& exchange) const {
  json::array models;
  for (const CatalogModel& model : catalog_.list()) {
    json::object entry = describe(model);
    // Models without residency (agents, remote backends) are always there: no expiry.
    entry["expires_at"] = kNeverExpires;
    entry["size_vram"] = 0;
    entry["context_length"] = 0;
    if (model.residency) {
      const ModelResidencyStatus status = model.residency->status();
      if (status.state != ModelResidencyStatus::State::loaded) continue;
      if (status.expires_at) entry["expires_at"] = rfc3339(*status.expires_at);
      entry["size_vram"] = status.vram_bytes;
      entry["context_length"] = status.context_length;
    }
    models.push_back(std::move(entry));
  }
  exchange->respond_json(HttpStatus::ok, json::object{{"models", std::move(models)}});
}

void OllamaApi::load_or_unload(const CatalogModel& model,
                               const std::shared_ptr<GenerationCall>& call,
                               const std::shared_ptr<OllamaReply>& reply,
                               const std::shared_ptr<HttpExchange>& exchange) {
  const std::optional<Duration> keep = call->chat.keep_alive;
  const bool unload = keep && keep->count() == 0;
  // Agents and remote backends have nothing to load here.
  if (!model.residency) return reply->done_without_generation(unload ? "unload" : "load");
  if (unload) {
    model.residency->keep_alive(Duration::zero());
    return reply->done_without_generation("unload");
  }
  const bool queued = pool_->submit([residency = model.residency, keep, reply, exchange] {
    try {
      residency->load(exchange->cancellation());
      if (keep) residency->keep_alive(*keep);
      reply->done_without_generation("load");
    } catch (const std::exception& error) {
      if (!exchange->cancellation().stop_requested()) {
        reply->fail(HttpStatus::internal_server_error, error.what());
      }
    }
  });
  if (!queued) {
    exchange->respond_error(HttpStatus::service_unavailable,
                            "server busy, please try again. maximum pending requests exceeded");
  }
}

void OllamaApi::show(const std::shared_ptr<HttpExchange>& exchange) const {
  std::string name;
  try {
    name = model_name_of(exchange);
  } catch (const BadRequest& error) {
    return exchange->respond_error(HttpStatus::bad_request, error.what());
  }
  const auto model = catalog_.find(name);
  if (!model)
    return exchange->respond_error(HttpStatus::not_found, "model '" + name + "' not found");
  json::array capabilities;
  for (const std::string& capability : model->capabilities()) capabilities.emplace_back(capability);
  json::object description = describe(*model);
  exchange->respond_json(
      HttpStatus::ok,
      json::object{{"modelfile", ""},
                   {"parameters", ""},
                   {"template", ""},
                   {"details", description["details"]},
                   {"model_info", json::object{{"general.architecture", model->family()}}},
                   {"capabilities", std::move(capabilities)},
                   {"modified_at", description["modified_at"]}});
}

void OllamaApi::generation(const std::shared_ptr<HttpExchange>& exchange, OllamaEndpoint endpoint) {
  std::shared_ptr<GenerationCall> call;
  try {
    call = std::make_shared<GenerationCall>(endpoint == OllamaEndpoint::chat
                                                ? parse_chat_call(exchange->request().body())
                                                : parse_generate_call(exchange->request().body()));
  } catch (const BadRequest& error) {
    return exchange->respond_error(HttpStatus::bad_request, error.what());
  }
  auto model = catalog_.find(call->model);
  if (!model) {
    return exchange->respond_error(HttpStatus::not_found, "model '" + call->model + "' not found");
  }
  auto reply = std::make_shared<OllamaReply>(exchange, endpoint, model->name, call->stream);
  if (call->load_only()) return load_or_unload(*model, call, reply, exchange);
  if (!call->chat.tools.empty() && !model->is_agent() && !model->info.tools) {
    return exchange->respond_error(HttpStatus::bad_request,
                                   model->name + " does not support tools");
  }
  const bool queued = pool_->submit(
      [model = std::move(*model), call, endpoint, reply, exchange, metrics = metrics_] {
        if (exchange->cancellation().stop_requested()) return;
        run_generation(model, *call, endpoint, *reply, *exchange, metrics.get());
      });
  if (!queued) {
    exchange->respond_error(HttpStatus::service_unavailable,
                            "server busy, please try again. maximum pending requests exceeded");
  }
}

}  // namespace seer::http
