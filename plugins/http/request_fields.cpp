#include "request_fields.hpp"

#include <boost/json/parse.hpp>

#include <cmath>
#include <limits>

namespace seer::http {
namespace json = boost::json;

namespace {

// Casting a double outside the integer's range is undefined behaviour: refused first.
template <typename Integer>
Integer integer_value(const json::value& value, std::string_view what) {
  const double number = number_value(value, what);
  constexpr double lowest = static_cast<double>(std::numeric_limits<Integer>::min());
  // 2^digits: the first value past the maximum, exact in a double.
  const double past_highest = std::ldexp(1.0, std::numeric_limits<Integer>::digits);
  if (!(number >= lowest && number < past_highest)) {
    throw BadRequest(std::string(what) + " must be a number from " +
                     std::to_string(std::numeric_limits<Integer>::min()) + " to " +
                     std::to_string(std::numeric_limits<Integer>::max()));
  }
  return static_cast<Integer>(number);
}

json::object arguments_of(const json::value& value) {
  if (value.is_object()) return value.get_object();
  if (value.is_string()) {
    // OpenAI-style clients send the arguments as a JSON string.
    boost::system::error_code error;
    json::value parsed = json::parse(value.get_string(), error);
    if (!error && parsed.is_object()) return parsed.get_object();
  }
  throw BadRequest("tool call arguments must be a JSON object");
}

}  // namespace

json::object parse_body_object(std::string_view body) {
  if (body.empty()) throw BadRequest("missing request body");
  boost::system::error_code error;
  json::value value = json::parse(body, error);
  if (error) throw BadRequest("invalid JSON: " + error.message());
  if (!value.is_object()) throw BadRequest("the request body must be a JSON object");
  return std::move(value.get_object());
}

const json::value* field(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

std::string string_field(const json::object& object, std::string_view key, std::string_view where) {
  const json::value* value = field(object, key);
  if (value == nullptr) return {};
  if (!value->is_string()) {
    throw BadRequest(std::string(where) + std::string(key) + " must be a string");
  }
  return std::string(value->get_string());
}

double number_value(const json::value& value, std::string_view what) {
  if (!value.is_number()) throw BadRequest(std::string(what) + " must be a number");
  return value.to_number<double>();
}

int int_value(const json::value& value, std::string_view what) {
  return integer_value<int>(value, what);
}

std::uint64_t uint64_value(const json::value& value, std::string_view what) {
  return integer_value<std::uint64_t>(value, what);
}

std::vector<std::string> stop_strings(const json::value& value, std::string_view what) {
  if (value.is_string()) return {std::string(value.get_string())};
  const std::string error = std::string(what) + " must be a list of strings";
  if (!value.is_array()) throw BadRequest(error);
  std::vector<std::string> stops;
  for (const json::value& item : value.get_array()) {
    if (!item.is_string()) throw BadRequest(error);
    stops.emplace_back(item.get_string());
  }
  return stops;
}

std::vector<ToolDefinition> read_tools(const json::object& body) {
  std::vector<ToolDefinition> tools;
  const json::value* value = field(body, "tools");
  if (value == nullptr) return tools;
  if (!value->is_array()) throw BadRequest("tools must be a list");
  for (const json::value& item : value->get_array()) {
    const json::value* function = item.is_object() ? field(item.get_object(), "function") : nullptr;
    if (function == nullptr || !function->is_object()) {
      throw BadRequest("each tool must be {\"type\": \"function\", \"function\": {...}}");
    }
    const json::object& definition = function->get_object();
    ToolDefinition tool{.name = string_field(definition, "name", "tool "),
                        .description = string_field(definition, "description", "tool ")};
    if (tool.name.empty()) throw BadRequest("every tool needs a name");
    if (const json::value* parameters = field(definition, "parameters")) {
      if (!parameters->is_object()) throw BadRequest("tool parameters must be a JSON schema");
      tool.parameters = parameters->get_object();
    }
    tools.push_back(std::move(tool));
  }
  return tools;
}

std::vector<ToolCall> read_tool_calls(const json::object& message) {
  std::vector<ToolCall> calls;
  const json::value* value = field(message, "tool_calls");
  if (value == nullptr) return calls;
  if (!value->is_array()) throw BadRequest("message tool_calls must be a list");
  for (const json::value& item : value->get_array()) {
    const json::value* value_function =
        item.is_object() ? field(item.get_object(), "function") : nullptr;
    const json::object* function = value_function ? value_function->if_object() : nullptr;
    if (function == nullptr) throw BadRequest("a tool call must hold a function object");
    ToolCall call{.name = string_field(*function, "name", "tool call ")};
    if (const json::value* arguments = field(*function, "arguments")) {
      call.arguments = arguments_of(*arguments);
    }
    calls.push_back(std::move(call));
  }
  return calls;
}

}  // namespace seer::http
