#pragma once
// Reading the JSON of request bodies, shared by the Ollama and OpenAI APIs: exact about the
// types of the keys read, silent about keys nobody reads. Every function throws BadRequest with
// a message for the client.

#include "base64_image.hpp"

#include <seer/services/chat_model.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seer::http {

// The JSON object of a body; throws for an empty body or one that is not an object.
boost::json::object parse_body_object(std::string_view body);
// The value of `key`, or null when it is absent or JSON null.
const boost::json::value* field(const boost::json::object& object, std::string_view key);
// A string field ("" when absent); `where` prefixes the error ("message 2: ").
std::string string_field(const boost::json::object& object, std::string_view key,
                         std::string_view where = {});
// `what` names the value in the error: "option temperature must be a number".
double number_value(const boost::json::value& value, std::string_view what);
// A number for an integer setting, its fraction dropped; outside the type's range it is
// refused ("option top_k must be a number from ... to ..."), never cast.
int int_value(const boost::json::value& value, std::string_view what);
std::uint64_t uint64_value(const boost::json::value& value, std::string_view what);
// A string or a list of strings.
std::vector<std::string> stop_strings(const boost::json::value& value, std::string_view what);
// `tools`: [{type: "function", function: {name, description, parameters}}], as both APIs send
// them.
std::vector<ToolDefinition> read_tools(const boost::json::object& body);
// An assistant message's `tool_calls`: [{function: {name, arguments}}], the arguments an object
// (Ollama) or a JSON string holding one (OpenAI).
std::vector<ToolCall> read_tool_calls(const boost::json::object& message);

}  // namespace seer::http
