#include "http_metrics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace seer::http {

namespace {

std::string route_label(std::string_view route) {
  return route.empty() ? "unmatched" : std::string(route);
}

}  // namespace

void HttpMetrics::record_request(std::string_view route, std::string_view method, unsigned status,
                                 double seconds) {
  const std::string label = route_label(route);
  const std::lock_guard lock(mutex_);
  ++requests_[{label, std::string(method), status}];
  Durations& durations = durations_[label];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++durations.buckets[i];
      break;
    }
  }
  ++durations.count;
  durations.sum += seconds;
}

void HttpMetrics::record_generation(std::string_view model, const GenerationResult& result) {
  const std::lock_guard lock(mutex_);
  auto found = generations_.find(model);
  if (found == generations_.end()) found = generations_.emplace(model, Generations{}).first;
  Generations& generations = found->second;
  ++generations.count;
  generations.prompt_tokens += static_cast<std::uint64_t>(std::max(0, result.prompt_tokens));
  generations.generated_tokens += static_cast<std::uint64_t>(std::max(0, result.generated_tokens));
  generations.prompt_seconds += static_cast<double>(result.prompt_nanoseconds) * 1e-9;
  generations.eval_seconds += static_cast<double>(result.generation_nanoseconds) * 1e-9;
}

void HttpMetrics::write(PrometheusText& out) const {
  const std::lock_guard lock(mutex_);
  out.family("seer_http_requests_total", "counter",
             "HTTP requests answered, by route, method and status.");
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    const std::string status_text = std::to_string(status);
    out.sample("seer_http_requests_total",
               {{"route", route}, {"method", method}, {"status", status_text}},
               static_cast<double>(count));
  }

  out.family("seer_http_request_duration_seconds", "histogram",
             "Time from a request's arrival to the end of its reply, by route.");
  for (const auto& [route, durations] : durations_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += durations.buckets[i];
      const std::string bound = fmt::format("{}", kBuckets[i]);
      out.sample("seer_http_request_duration_seconds_bucket", {{"route", route}, {"le", bound}},
                 static_cast<double>(cumulative));
    }
    out.sample("seer_http_request_duration_seconds_bucket", {{"route", route}, {"le", "+Inf"}},
               static_cast<double>(durations.count));
    out.sample("seer_http_request_duration_seconds_sum", {{"route", route}}, durations.sum);
    out.sample("seer_http_request_duration_seconds_count", {{"route", route}},
               static_cast<double>(durations.count));
  }

  const auto per_model = [&](std::string_view name, std::string_view help, auto value) {
    out.family(name, "counter", help);
    for (const auto& [model, generations] : generations_) {
      out.sample(name, {{"model", model}}, static_cast<double>(value(generations)));
    }
  };
  per_model("seer_generations_total", "Generations finished (chat, generate, agent turns).",
            [](const Generations& g) { return g.count; });
  per_model("seer_prompt_tokens_total", "Prompt tokens evaluated.",
            [](const Generations& g) { return g.prompt_tokens; });
  per_model("seer_tokens_generated_total", "Tokens generated.",
            [](const Generations& g) { return g.generated_tokens; });
  per_model("seer_prompt_eval_seconds_total", "Time spent evaluating prompts.",
            [](const Generations& g) { return g.prompt_seconds; });
  per_model("seer_eval_seconds_total", "Time spent generating tokens.",
            [](const Generations& g) { return g.eval_seconds; });
}

}  // namespace seer::http
