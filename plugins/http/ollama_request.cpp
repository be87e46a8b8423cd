#include "ollama_request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace seer::http {
namespace json = boost::json;

namespace {

// Ollama's Modelfile parameters that seer's models take; the others are ignored.
GenerationOptions read_options(const json::object& options) {
  GenerationOptions result;
  for (const auto& [key, value] : options) {
    if (value.is_null()) continue;
    const std::string what = "option " + std::string(key);
    if (key == "temperature") {
      result.temperature = static_cast<float>(number_value(value, what));
    } else if (key == "num_predict") {
      // Ollama's -1 (unlimited) and -2 (fill the context) keep seer's own limit.
      const double limit = number_value(value, what);
      if (limit > 0) result.max_new_tokens = int_value(value, what);
    } else if (key == "top_k") {
      result.top_k = int_value(value, what);
    } else if (key == "top_p") {
      result.top_p = static_cast<float>(number_value(value, what));
    } else if (key == "min_p") {
      result.min_p = static_cast<float>(number_value(value, what));
    } else if (key == "repeat_penalty") {
      result.repeat_penalty = static_cast<float>(number_value(value, what));
    } else if (key == "seed") {
      const double seed = number_value(value, what);
      if (seed >= 0) result.seed = uint64_value(value, what);
    } else if (key == "num_ctx") {
      result.context_length = int_value(value, what);
    } else if (key == "stop") {
      result.stop = stop_strings(value, "option stop");
    }
  }
  return result;
}

// Go's time.Duration is int64 nanoseconds (about 292 years): longer is refused, as Go does,
// rather than overflowing ours. Found by fuzz/http_request_fuzzer, like the from_chars below
// (std::stod threw std::invalid_argument for ".m").
constexpr double kDurationNanosecondsLimit = 9223372036854775808.0;  // 2^63

// "1h30m", "-5m", "2.5s", "300ms": Go's time.ParseDuration, which Ollama uses.
Duration parse_go_duration(std::string_view text) {
  const std::string original(text);
  const bool negative = text.starts_with('-');
  if (negative || text.starts_with('+')) text.remove_prefix(1);
  if (text == "0") return Duration(0);
  if (text.empty()) throw BadRequest("keep_alive '" + original + "' is not a duration");
  double nanoseconds = 0;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
      ++digits;
    }
    std::size_t unit_end = digits;
    while (unit_end < text.size() && !std::isdigit(static_cast<unsigned char>(text[unit_end])) &&
           text[unit_end] != '.') {
      ++unit_end;
    }
    const std::string amount(text.substr(0, digits));
    const std::string_view unit = text.substr(digits, unit_end - digits);
    double scale = 0;
    if (unit == "ns") scale = 1;
    if (unit == "us" || unit == "µs") scale = 1e3;
    if (unit == "ms") scale = 1e6;
    if (unit == "s") scale = 1e9;
    if (unit == "m") scale = 60e9;
    if (unit == "h") scale = 3600e9;
    if (amount.empty() || scale == 0) {
      throw BadRequest("keep_alive '" + original + "' is not a duration like 5m or 1h30m");
    }
    double value = 0;
    const auto [end, error] = std::from_chars(amount.data(), amount.data() + amount.size(), value);
    if (error != std::errc() || end != amount.data() + amount.size()) {
      throw BadRequest("keep_alive '" + original + "' is not a duration like 5m or 1h30m");
    }
    nanoseconds += value * scale;
    text.remove_prefix(unit_end);
  }
  if (nanoseconds >= kDurationNanosecondsLimit) {
    throw BadRequest("keep_alive '" + original +
                     "' is longer than Go's longest duration (about 292 years)");
  }
  if (negative) return Duration(-1);
  return std::chrono::duration_cast<Duration>(std::chrono::nanoseconds(std::llround(nanoseconds)));
}

std::vector<Image> read_images(const json::object& object, std::string_view where) {
  std::vector<Image> images;
  const json::value* value = field(object, "images");
  if (value == nullptr) return images;
  if (!value->is_array()) throw BadRequest(std::string(where) + "images must be a list");
  for (const json::value& item : value->get_array()) {
    if (!item.is_string()) {
      throw BadRequest(std::string(where) + "images must be base64 strings");
    }
    images.push_back(decode_base64_image(
        item.get_string(), std::string(where) + "image " + std::to_string(images.size() + 1)));
  }
  return images;
}

std::vector<ChatMessage> read_messages(const json::object& body) {
  std::vector<ChatMessage> messages;
  const json::value* value = field(body, "messages");
  if (value == nullptr) return messages;
  if (!value->is_array()) throw BadRequest("messages must be a list");
  for (const json::value& item : value->get_array()) {
    if (!item.is_object()) throw BadRequest("each message must be an object");
    const json::object& message = item.get_object();
    const std::string where = "message " + std::to_string(messages.size() + 1) + ": ";
    ChatMessage parsed{.role = string_field(message, "role", where),
                       .content = string_field(message, "content", where),
                       .images = read_images(message, where),
                       .tool_calls = read_tool_calls(message),
                       .tool_name = string_field(message, "tool_name", where)};
    if (parsed.role.empty()) throw BadRequest(where + "role is required");
    messages.push_back(std::move(parsed));
  }
  return messages;
}

// What /api/chat and /api/generate share: model, stream, options, think, format, keep_alive.
GenerationCall read_common(const json::object& body) {
  GenerationCall call;
  call.model = string_field(body, "model");
  if (call.model.empty()) throw BadRequest("model is required");
  if (const json::value* stream = field(body, "stream")) {
    if (!stream->is_bool()) throw BadRequest("stream must be true or false");
    call.stream = stream->get_bool();
  }
  if (const json::value* options = field(body, "options")) {
    if (!options->is_object()) throw BadRequest("options must be an object");
    call.chat.options = read_options(options->get_object());
    call.has_options = true;
  }
  if (const json::value* think = field(body, "think")) {
    // true, or a level ("low", "medium", "high") for models that take one.
    if (!think->is_bool() && !think->is_string())
      throw BadRequest("think must be true, false or a level");
    call.chat.options.think = think->is_bool() ? think->get_bool() : !think->get_string().empty();
  }
  if (const json::value* format = field(body, "format")) {
    // A JSON schema asks for JSON; the schema itself is not enforced.
    if (format->is_object() || (format->is_string() && format->get_string() == "json")) {
      call.chat.format = "json";
    } else if (!format->is_string() || !format->get_string().empty()) {
      throw BadRequest("format must be \"json\" or a JSON schema");
    }
  }
  if (const json::value* keep_alive = field(body, "keep_alive")) {
    call.chat.keep_alive = parse_keep_alive(*keep_alive);
  }
  call.chat.model = call.model;
  return call;
}

}  // namespace

GenerationOptions read_ollama_options(const json::object& options) { return read_options(options); }

Duration parse_keep_alive(const json::value& value) {
  if (value.is_number()) {
    const double seconds = value.to_number<double>();
    if (seconds < 0) return Duration(-1);
    if (seconds * 1e9 >= kDurationNanosecondsLimit) {
      throw BadRequest("keep_alive " + std::to_string(seconds) +
                       " s is longer than Go's longest duration (about 292 years)");
    }
    return Duration(std::llround(seconds * 1000));
  }
  if (value.is_string()) return parse_go_duration(value.get_string());
  throw BadRequest("keep_alive must be a duration string like \"5m\" or a number of seconds");
}

GenerationCall parse_chat_call(std::string_view body) {
  const json::object object = parse_body_object(body);
  GenerationCall call = read_common(object);
  call.chat.messages = read_messages(object);
  call.chat.tools = read_tools(object);
  return call;
}

GenerationCall parse_generate_call(std::string_view body) {
  const json::object object = parse_body_object(body);
  GenerationCall call = read_common(object);
  call.prompt = string_field(object, "prompt");
  call.images = read_images(object, "");
  if (const std::string system = string_field(object, "system"); !system.empty()) {
    call.chat.messages.push_back({.role = "system", .content = system});
  }
  if (!call.prompt.empty() || !call.images.empty()) {
    call.chat.messages.push_back({.role = "user", .content = call.prompt, .images = call.images});
  }
  return call;
}

}  // namespace seer::http
