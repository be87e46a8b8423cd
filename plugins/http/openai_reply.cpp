#include "openai_reply.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdio>

namespace seer::http {
namespace json = boost::json;

namespace {

constexpr std::string_view kEventStream = "text/event-stream";

std::string_view error_type(HttpStatus status) {
  if (status == HttpStatus::unauthorized) return "authentication_error";
  if (static_cast<unsigned>(status) >= 500) return "server_error";
  return "invalid_request_error";
}

json::value null_if_empty(std::string_view text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

// OpenAI's finish_reason: stop, length or tool_calls.
std::string_view finish_reason(const GenerationResult& result) {
  if (!result.tool_calls.empty()) return "tool_calls";
  if (result.done_reason == "length") return "length";
  return "stop";
}

json::array tool_calls_json(const std::vector<ToolCall>& calls, bool with_index) {
  json::array array;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    json::object call{
        {"id", random_id("call_")},
        {"type", "function"},
        {"function", json::object{{"name", calls[i].name},
                                  {"arguments", json::serialize(calls[i].arguments)}}}};
    // Streamed tool calls say which call a delta belongs to.
    if (with_index) call["index"] = i;
    array.push_back(std::move(call));
  }
  return array;
}

json::object usage_json(const GenerationResult& result) {
  return {{"prompt_tokens", result.prompt_tokens},
          {"completion_tokens", result.generated_tokens},
          {"total_tokens", result.prompt_tokens + result.generated_tokens}};
}

}  // namespace

json::object openai_error(HttpStatus status, std::string_view message, std::string_view code,
                          std::string_view param) {
  return {{"error", json::object{{"message", message},
                                 {"type", error_type(status)},
                                 {"param", null_if_empty(param)},
                                 {"code", null_if_empty(code)}}}};
}

void respond_openai_error(HttpExchange& exchange, HttpStatus status, std::string_view message,
                          std::string_view code, std::string_view param) {
  exchange.respond_json(status, openai_error(status, message, code, param));
}

std::string random_id(std::string_view prefix) {
  std::array<unsigned char, 12> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no random bytes for an id");
  }
  std::string id(prefix);
  for (const unsigned char byte : bytes) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", byte);
    id += hex;
  }
  return id;
}

OpenAiReply::OpenAiReply(std::shared_ptr<HttpExchange> exchange, std::string model, bool stream,
                         bool include_usage)
    : exchange_(std::move(exchange)),
      model_(std::move(model)),
      stream_(stream),
      include_usage_(include_usage),
      created_(std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count()) {}

json::object OpenAiReply::chunk(json::object delta, json::value finish_reason) {
  if (!role_sent_) {
    delta["role"] = "assistant";
    role_sent_ = true;
  }
  return {{"id", id_},
          {"object", "chat.completion.chunk"},
          {"created", created_},
          {"model", model_},
          {"choices", json::array{json::object{{"index", 0},
                                               {"delta", std::move(delta)},
                                               {"finish_reason", std::move(finish_reason)}}}}};
}

bool OpenAiReply::send_event(const json::object& event) {
  if (!exchange_->replied()) {
    exchange_->add_header("Cache-Control", "no-cache");
    exchange_->begin_stream(kEventStream);
  }
  return exchange_->write("data: " + json::serialize(event) + "\n\n");
}

bool OpenAiReply::piece(std::string_view text) {
  if (exchange_->cancellation().stop_requested()) return false;
  if (!stream_) {
    collected_ += text;
    return true;
  }
  if (text.empty()) return true;
  return send_event(chunk(json::object{{"content", text}}, nullptr));
}

void OpenAiReply::done(const GenerationResult& result, json::object extension) {
  if (!stream_) {
    const std::string& text = result.text.empty() ? collected_ : result.text;
    json::object message{{"role", "assistant"}};
    // OpenAI's content is null beside tool calls and nothing else.
    message["content"] =
        text.empty() && !result.tool_calls.empty() ? json::value(nullptr) : json::value(text);
    if (!result.thinking.empty()) message["reasoning"] = result.thinking;
    if (!result.tool_calls.empty())
      message["tool_calls"] = tool_calls_json(result.tool_calls, false);
    json::object completion{
        {"id", id_},
        {"object", "chat.completion"},
        {"created", created_},
        {"model", model_},
        {"choices", json::array{json::object{{"index", 0},
                                             {"message", std::move(message)},
                                             {"finish_reason", finish_reason(result)}}}},
        {"usage", usage_json(result)}};
    if (!extension.empty()) completion["seer"] = std::move(extension);
    exchange_->respond_json(HttpStatus::ok, completion);
    return;
  }
  // Reasoning and tool calls arrive whole at the end: a chunk each, then the finish_reason.
  if (!role_sent_) send_event(chunk(json::object{{"content", ""}}, nullptr));
  if (!result.thinking.empty())
    send_event(chunk(json::object{{"reasoning", result.thinking}}, nullptr));
  if (!result.tool_calls.empty()) {
    send_event(
        chunk(json::object{{"tool_calls", tool_calls_json(result.tool_calls, true)}}, nullptr));
  }
  json::object last = chunk(json::object{}, json::value(finish_reason(result)));
  if (!extension.empty()) last["seer"] = std::move(extension);
  send_event(last);
  if (include_usage_) {
    json::object usage = chunk(json::object{}, nullptr);
    usage["choices"] = json::array{};
    usage["usage"] = usage_json(result);
    send_event(usage);
  }
  exchange_->write("data: [DONE]\n\n");
  exchange_->finish_stream();
}

void OpenAiReply::fail(HttpStatus status, std::string_view message) {
  if (!exchange_->streaming()) {
    respond_openai_error(*exchange_, status, message);
    return;
  }
  exchange_->write("data: " + json::serialize(openai_error(status, message)) + "\n\n");
  exchange_->finish_stream();
}

}  // namespace seer::http
