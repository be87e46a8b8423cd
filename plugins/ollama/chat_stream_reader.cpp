#include "chat_stream_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace seer::ollama {
namespace {

std::int64_t int_field(const boost::json::object& chunk, std::string_view key) {
  const boost::json::value* value = chunk.if_contains(key);
  if (value == nullptr) return 0;  // Ollama leaves zero counts out
  if (!value->is_number()) throw StreamError("'" + std::string(key) + "' is not a number");
  return value->to_number<std::int64_t>();
}

std::string string_field(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
}

// Arguments are an object; OpenAI-style servers write them as a JSON string instead.
boost::json::object tool_arguments(const boost::json::value* arguments) {
  if (arguments == nullptr || arguments->is_null()) return {};
  if (arguments->is_object()) return arguments->get_object();
  if (arguments->is_string()) {
    boost::system::error_code error;
    boost::json::value parsed = boost::json::parse(arguments->get_string(), error);
    if (!error && parsed.is_object()) return std::move(parsed.get_object());
  }
  throw StreamError("a tool call's arguments are not a JSON object");
}

void read_tool_calls(const boost::json::value& calls, std::vector<ToolCall>& into) {
  if (!calls.is_array()) throw StreamError("message.tool_calls is not a list");
  for (const boost::json::value& call : calls.get_array()) {
    const boost::json::object* fields = call.if_object();
    const boost::json::value* function_value = fields ? fields->if_contains("function") : nullptr;
    const boost::json::object* function = function_value ? function_value->if_object() : nullptr;
    if (function == nullptr) throw StreamError("a tool call has no 'function' object");
    into.push_back(
        {string_field(*function, "name"), tool_arguments(function->if_contains("arguments"))});
  }
}

}  // namespace

bool ChatStreamReader::feed(std::string_view bytes) {
  while (!done_ && !bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      partial_line_.append(bytes);
      return true;
    }
    partial_line_.append(bytes.substr(0, newline));
    bytes.remove_prefix(newline + 1);
    const std::string line = std::move(partial_line_);
    partial_line_.clear();
    if (!read_line(line)) return false;
  }
  return true;
}

bool ChatStreamReader::finish() {
  if (done_ || partial_line_.empty()) return true;
  const std::string line = std::move(partial_line_);
  partial_line_.clear();
  return read_line(line);
}

bool ChatStreamReader::read_line(std::string_view line) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return true;
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(line, error);
  if (error || !parsed.is_object()) {
    throw StreamError("a reply line is not a JSON object: " + std::string(line.substr(0, 200)));
  }
  const boost::json::object& chunk = parsed.get_object();
  ++chunks_;
  if (const boost::json::value* failure = chunk.if_contains("error")) {
    throw StreamError(failure->is_string() ? std::string(failure->get_string())
                                           : boost::json::serialize(*failure));
  }
  if (const boost::json::value* message = chunk.if_contains("message");
      message != nullptr && message->is_object()) {
    const boost::json::object& fields = message->get_object();
    result_.thinking += string_field(fields, "thinking");
    if (const boost::json::value* calls = fields.if_contains("tool_calls");
        calls != nullptr && !calls->is_null()) {
      read_tool_calls(*calls, result_.tool_calls);
    }
    const std::string piece = string_field(fields, "content");
    if (!piece.empty()) {
      result_.text += piece;
      if (on_piece_ && !on_piece_(piece)) return false;
    }
  }
  if (const boost::json::value* done = chunk.if_contains("done");
      done != nullptr && done->is_bool() && done->get_bool()) {
    done_ = true;
    result_.done_reason = string_field(chunk, "done_reason");
    if (result_.done_reason.empty()) result_.done_reason = "stop";
    result_.prompt_tokens = static_cast<int>(int_field(chunk, "prompt_eval_count"));
    result_.generated_tokens = static_cast<int>(int_field(chunk, "eval_count"));
    result_.load_nanoseconds = int_field(chunk, "load_duration");
    result_.prompt_nanoseconds = int_field(chunk, "prompt_eval_duration");
    result_.generation_nanoseconds = int_field(chunk, "eval_duration");
  }
  return true;
}

}  // namespace seer::ollama
