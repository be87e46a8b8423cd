#include "ollama_reply.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <ctime>

namespace seer::http {
namespace json = boost::json;

namespace {

constexpr std::string_view kNdjson = "application/x-ndjson";

std::string ndjson_line(const json::object& object) { return json::serialize(object) + "\n"; }

json::array tool_calls_json(const std::vector<ToolCall>& calls) {
  json::array array;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    array.push_back(json::object{
        {"function",
         json::object{{"index", i}, {"name", calls[i].name}, {"arguments", calls[i].arguments}}}});
  }
  return array;
}

}  // namespace

std::string rfc3339(std::chrono::system_clock::time_point time) {
  const auto since_epoch = time.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto nanoseconds =
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds);
  const std::time_t whole = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<long long>(nanoseconds.count()));
  return text;
}

OllamaReply::OllamaReply(std::shared_ptr<HttpExchange> exchange, OllamaEndpoint endpoint,
                         std::string model, bool stream, std::shared_ptr<HttpMetrics> metrics)
    : exchange_(std::move(exchange)),
      endpoint_(endpoint),
      model_(std::move(model)),
      stream_(stream),
      metrics_(std::move(metrics)) {}

json::object OllamaReply::chunk(std::string_view text) const {
  json::object object{{"model", model_}, {"created_at", rfc3339(std::chrono::system_clock::now())}};
  if (endpoint_ == OllamaEndpoint::chat) {
    object["message"] = json::object{{"role", "assistant"}, {"content", text}};
  } else {
    object["response"] = text;
  }
  object["done"] = false;
  return object;
}

void OllamaReply::begin_stream_once() {
  if (!exchange_->replied()) exchange_->begin_stream(kNdjson);
}

bool OllamaReply::piece(std::string_view text) {
  if (exchange_->cancellation().stop_requested()) return false;
  if (!stream_) {
    collected_ += text;
    return true;
  }
  begin_stream_once();
  return exchange_->write(ndjson_line(chunk(text)));
}

void OllamaReply::done(const GenerationResult& result, json::object extension) {
  if (metrics_) metrics_->record_generation(model_, result);
  const std::string& text = result.text.empty() ? collected_ : result.text;
  json::object last = chunk(stream_ ? std::string_view() : std::string_view(text));
  json::object* message = endpoint_ == OllamaEndpoint::chat ? &last["message"].as_object() : &last;
  if (!result.thinking.empty()) (*message)["thinking"] = result.thinking;
  if (!result.tool_calls.empty()) (*message)["tool_calls"] = tool_calls_json(result.tool_calls);

  if (stream_ && (!result.thinking.empty() || !result.tool_calls.empty())) {
    // Thinking and tool calls arrive whole at the end: one chunk of their own, as Ollama
    // sends tool calls, then the final chunk.
    begin_stream_once();
    exchange_->write(ndjson_line(last));
    last = chunk({});
  }
  const auto total = std::chrono::steady_clock::now() - exchange_->received_at();
  last["done"] = true;
  last["done_reason"] = result.done_reason.empty() ? "stop" : result.done_reason;
  last["total_duration"] = std::chrono::duration_cast<std::chrono::nanoseconds>(total).count();
  last["load_duration"] = result.load_nanoseconds;
  last["prompt_eval_count"] = result.prompt_tokens;
  last["prompt_eval_duration"] = result.prompt_nanoseconds;
  last["eval_count"] = result.generated_tokens;
  last["eval_duration"] = result.generation_nanoseconds;
  if (!extension.empty()) last["seer"] = std::move(extension);

  if (!stream_) {
    exchange_->respond_json(HttpStatus::ok, last);
    return;
  }
  begin_stream_once();
  exchange_->write(ndjson_line(last));
  exchange_->finish_stream();
}

void OllamaReply::done_without_generation(std::string_view done_reason) {
  json::object last{{"model", model_}, {"created_at", rfc3339(std::chrono::system_clock::now())}};
  if (endpoint_ == OllamaEndpoint::chat) {
    last["message"] = json::object{{"role", "assistant"}, {"content", ""}};
  } else {
    last["response"] = "";
  }
  last["done"] = true;
  last["done_reason"] = done_reason;
  exchange_->respond_json(HttpStatus::ok, last);
}

void OllamaReply::fail(HttpStatus status, std::string_view message) {
  if (!exchange_->streaming()) {
    exchange_->respond_error(status, message);
    return;
  }
  exchange_->write(ndjson_line(json::object{{"error", message}}));
  exchange_->finish_stream();
}

}  // namespace seer::http
