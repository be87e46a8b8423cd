#include "chat_request_body.hpp"

#include "image_encoding.hpp"

#include <boost/json/parse.hpp>

#include <charconv>
#include <stdexcept>
#include <string>

namespace seer::ollama {
namespace {

// The shortest decimal that reads back as the same float: 0.7, not 0.699999988079071.
double shortest_double(float value) {
  char text[32];
  const auto written = std::to_chars(std::begin(text), std::end(text), value);
  double result = 0;
  std::from_chars(std::begin(text), written.ptr, result);
  return result;
}

void put_option(boost::json::object& options, std::string_view key, boost::json::value value,
                bool set_by_request) {
  if (set_by_request || !options.contains(key)) options[key] = std::move(value);
}

boost::json::object tool_call_json(const ToolCall& call) {
  return {{"function", {{"name", call.name}, {"arguments", call.arguments}}}};
}

boost::json::object message_json(const ChatMessage& message) {
  boost::json::object json{{"role", message.role}, {"content", message.content}};
  if (!message.images.empty()) {
    boost::json::array images;
    for (const Image& image : message.images)
      images.push_back(boost::json::string(image_to_base64_png(image)));
    json["images"] = std::move(images);
  }
  if (!message.tool_calls.empty()) {
    boost::json::array calls;
    for (const ToolCall& call : message.tool_calls) calls.push_back(tool_call_json(call));
    json["tool_calls"] = std::move(calls);
  }
  if (!message.tool_name.empty()) json["tool_name"] = message.tool_name;
  return json;
}

boost::json::object tool_json(const ToolDefinition& tool) {
  return {
      {"type", "function"},
      {"function",
       {{"name", tool.name}, {"description", tool.description}, {"parameters", tool.parameters}}}};
}

// "json", or a JSON schema object for structured output.
boost::json::value format_json(const std::string& format) {
  if (!format.starts_with('{')) return boost::json::string(format);
  boost::system::error_code error;
  boost::json::value schema = boost::json::parse(format, error);
  if (error || !schema.is_object()) {
    throw std::invalid_argument("format is neither \"json\" nor a JSON schema object");
  }
  return schema;
}

}  // namespace

boost::json::object merged_options(const GenerationOptions& request,
                                   const boost::json::object& configured) {
  const GenerationOptions defaults;
  boost::json::object options = configured;
  put_option(options, "num_predict", request.max_new_tokens,
             request.max_new_tokens != defaults.max_new_tokens);
  put_option(options, "temperature", shortest_double(request.temperature),
             request.temperature != defaults.temperature);
  put_option(options, "top_k", request.top_k, request.top_k != defaults.top_k);
  put_option(options, "top_p", shortest_double(request.top_p), request.top_p != defaults.top_p);
  put_option(options, "min_p", shortest_double(request.min_p), request.min_p != defaults.min_p);
  put_option(options, "repeat_penalty", shortest_double(request.repeat_penalty),
             request.repeat_penalty != defaults.repeat_penalty);
  if (request.seed) options["seed"] = *request.seed;
  if (!request.stop.empty()) {
    boost::json::array stop;
    for (const std::string& text : request.stop) stop.push_back(boost::json::string(text));
    options["stop"] = std::move(stop);
  }
  if (request.context_length > 0) options["num_ctx"] = request.context_length;
  return options;
}

boost::json::value keep_alive_json(Duration keep_alive) {
  if (keep_alive.count() < 0) return -1;
  if (keep_alive.count() % 1000 == 0) return keep_alive.count() / 1000;
  return boost::json::string(std::to_string(keep_alive.count()) + "ms");
}

boost::json::object chat_request_body(const ChatRequest& request, const OllamaSettings& settings) {
  boost::json::array messages;
  for (const ChatMessage& message : request.messages) messages.push_back(message_json(message));
  boost::json::object body{{"model", request.model.empty() ? settings.model : request.model},
                           {"messages", std::move(messages)},
                           {"stream", true},
                           {"think", request.options.think || settings.think},
                           {"options", merged_options(request.options, settings.options)}};
  if (!request.tools.empty()) {
    boost::json::array tools;
    for (const ToolDefinition& tool : request.tools) tools.push_back(tool_json(tool));
    body["tools"] = std::move(tools);
  }
  if (!request.format.empty()) body["format"] = format_json(request.format);
  if (const auto keep_alive = request.keep_alive ? request.keep_alive : settings.keep_alive) {
    body["keep_alive"] = keep_alive_json(*keep_alive);
  }
  return body;
}

}  // namespace seer::ollama
