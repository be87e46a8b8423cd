#include "openai_request.hpp"

#include <array>
#include <map>
#include <string>

namespace seer::http {
namespace json = boost::json;

namespace {

// Roles a chat model knows; "developer" is what newer OpenAI clients call the system role.
std::string read_role(const json::object& message, const std::string& where) {
  const std::string role = string_field(message, "role", where);
  if (role == "developer") return "system";
  constexpr std::array<std::string_view, 4> known{"system", "user", "assistant", "tool"};
  if (std::ranges::find(known, role) == known.end()) {
    throw BadRequest(where + "role '" + role +
                     "' is not one of system, developer, user, assistant, tool");
  }
  return role;
}

// An image_url part's url: a data URI or bare base64. The runtime fetches nothing.
Image image_from_url(std::string_view url, const std::string& what) {
  if (url.starts_with("http://") || url.starts_with("https://")) {
    throw BadRequest(what +
                     ": image URLs are not fetched; send the image inline as a data URI "
                     "(data:image/png;base64,...)");
  }
  return decode_base64_image(url, what);
}

// `content`: a string, or a list of text and image_url parts whose texts are joined by
// newlines. Null (an assistant message with tool calls) is empty.
std::string read_content(const json::object& message, const std::string& where,
                         std::vector<Image>& images) {
  const json::value* content = field(message, "content");
  if (content == nullptr) return {};
  if (content->is_string()) return std::string(content->get_string());
  if (!content->is_array()) throw BadRequest(where + "content must be a string or a list of parts");
  std::string text;
  for (const json::value& item : content->get_array()) {
    if (!item.is_object()) throw BadRequest(where + "each content part must be an object");
    const json::object& part = item.get_object();
    const std::string type = string_field(part, "type", where + "content part ");
    if (type == "text") {
      if (!text.empty()) text += '\n';
      text += string_field(part, "text", where + "content part ");
    } else if (type == "image_url") {
      const std::string what = where + "image " + std::to_string(images.size() + 1);
      const json::value* image_url = field(part, "image_url");
      // {"url": ...} as OpenAI documents it; a bare string as some clients send it.
      const json::value* url =
          image_url && image_url->is_object() ? field(image_url->get_object(), "url") : image_url;
      if (url == nullptr || !url->is_string()) {
        throw BadRequest(what + ": image_url must be {\"url\": \"data:image/...;base64,...\"}");
      }
      images.push_back(image_from_url(url->get_string(), what));
    } else {
      throw BadRequest(where + "content part type '" + type +
                       "' is not supported (text and image_url are)");
    }
  }
  return text;
}

std::vector<ChatMessage> read_messages(const json::object& body) {
  const json::value* value = field(body, "messages");
  if (value == nullptr) throw BadRequest("messages is required");
  if (!value->is_array()) throw BadRequest("messages must be a list");
  if (value->get_array().empty()) throw BadRequest("messages must not be empty");
  std::vector<ChatMessage> messages;
  // A tool message names the call it answers by id; the model knows tools by name.
  std::map<std::string, std::string, std::less<>> tool_name_of_call;
  for (const json::value& item : value->get_array()) {
    const std::string where = "message " + std::to_string(messages.size() + 1) + ": ";
    if (!item.is_object()) throw BadRequest(where + "each message must be an object");
    const json::object& message = item.get_object();
    ChatMessage parsed{.role = read_role(message, where)};
    parsed.content = read_content(message, where, parsed.images);
    parsed.tool_calls = read_tool_calls(message);
    if (const json::value* calls = field(message, "tool_calls")) {
      for (std::size_t i = 0; i < calls->get_array().size(); ++i) {
        const json::object& call = calls->get_array()[i].get_object();
        if (const std::string id = string_field(call, "id", where + "tool call "); !id.empty()) {
          tool_name_of_call[id] = parsed.tool_calls[i].name;
        }
      }
    }
    if (parsed.role == "tool") {
      parsed.tool_name = string_field(message, "name", where);
      const std::string id = string_field(message, "tool_call_id", where);
      if (const auto found = tool_name_of_call.find(id);
          parsed.tool_name.empty() && found != tool_name_of_call.end()) {
        parsed.tool_name = found->second;
      }
    }
    messages.push_back(std::move(parsed));
  }
  return messages;
}

// The sampling fields; true when any was sent (an agent then takes these instead of hers).
bool read_options(const json::object& body, GenerationOptions& options) {
  bool sent = false;
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    const json::value* value = field(body, key);
    if (value == nullptr) continue;
    const int limit = int_value(*value, key);
    if (limit < 1) throw BadRequest(std::string(key) + " must be at least 1");
    options.max_new_tokens = limit;
    sent = true;
    break;  // max_completion_tokens, the newer name, wins
  }
  if (const json::value* value = field(body, "temperature")) {
    options.temperature = static_cast<float>(number_value(*value, "temperature"));
    sent = true;
  }
  if (const json::value* value = field(body, "top_p")) {
    options.top_p = static_cast<float>(number_value(*value, "top_p"));
    sent = true;
  }
  if (const json::value* value = field(body, "seed")) {
    const double seed = number_value(*value, "seed");
    if (seed >= 0) options.seed = uint64_value(*value, "seed");
    sent = true;
  }
  if (const json::value* value = field(body, "stop")) {
    options.stop = stop_strings(*value, "stop");
    sent = true;
  }
  // Sampling fields OpenAI lacks, as vLLM also takes them.
  if (const json::value* value = field(body, "top_k")) {
    options.top_k = int_value(*value, "top_k");
    sent = true;
  }
  if (const json::value* value = field(body, "min_p")) {
    options.min_p = static_cast<float>(number_value(*value, "min_p"));
    sent = true;
  }
  if (const json::value* value = field(body, "repeat_penalty")) {
    options.repeat_penalty = static_cast<float>(number_value(*value, "repeat_penalty"));
    sent = true;
  }
  // OpenAI's additive, count-based penalties have no faithful counterpart in seer's
  // multiplicative repeat_penalty: checked, then ignored.
  for (const char* key : {"frequency_penalty", "presence_penalty"}) {
    if (const json::value* value = field(body, key)) number_value(*value, key);
  }
  return sent;
}

std::string read_format(const json::object& body) {
  const json::value* value = field(body, "response_format");
  if (value == nullptr) return {};
  if (!value->is_object()) throw BadRequest("response_format must be an object");
  const std::string type = string_field(value->get_object(), "type", "response_format ");
  if (type.empty() || type == "text") return {};
  // A schema asks for JSON; the schema itself is not enforced.
  if (type == "json_object" || type == "json_schema") return "json";
  throw BadRequest("response_format type '" + type +
                   "' is not one of text, json_object, json_schema");
}

// tool_choice: "none" offers no tools; "auto" and "required" offer them all (seer cannot force
// a call); {"type": "function", "function": {"name"}} offers only that one.
std::vector<ToolDefinition> chosen_tools(const json::object& body,
                                         std::vector<ToolDefinition> tools) {
  const json::value* choice = field(body, "tool_choice");
  if (choice == nullptr) return tools;
  if (choice->is_string()) {
    const std::string_view mode = choice->get_string();
    if (mode == "none") return {};
    if (mode == "auto" || mode == "required") return tools;
    throw BadRequest("tool_choice must be none, auto, required or a function");
  }
  const json::value* function =
      choice->is_object() ? field(choice->get_object(), "function") : nullptr;
  if (function == nullptr || !function->is_object()) {
    throw BadRequest("tool_choice must be none, auto, required or a function");
  }
  const std::string name = string_field(function->get_object(), "name", "tool_choice ");
  std::erase_if(tools, [&name](const ToolDefinition& tool) { return tool.name != name; });
  if (tools.empty()) throw BadRequest("tool_choice names '" + name + "', which is not in tools");
  return tools;
}

}  // namespace

OpenAiChatCall parse_openai_chat_call(std::string_view body) {
  const json::object object = parse_body_object(body);
  OpenAiChatCall call;
  GenerationCall& generation = call.generation;
  generation.model = string_field(object, "model");
  if (generation.model.empty()) throw BadRequest("model is required");
  generation.stream = false;  // OpenAI's default
  if (const json::value* stream = field(object, "stream")) {
    if (!stream->is_bool()) throw BadRequest("stream must be true or false");
    generation.stream = stream->get_bool();
  }
  if (const json::value* options = field(object, "stream_options")) {
    if (!options->is_object()) throw BadRequest("stream_options must be an object");
    if (const json::value* usage = field(options->get_object(), "include_usage")) {
      if (!usage->is_bool()) throw BadRequest("stream_options.include_usage must be a boolean");
      call.include_usage = usage->get_bool();
    }
  }
  if (const json::value* n = field(object, "n")) {
    if (number_value(*n, "n") != 1) throw BadRequest("n must be 1: seer generates one choice");
  }
  if (const json::value* effort = field(object, "reasoning_effort")) {
    if (!effort->is_string()) throw BadRequest("reasoning_effort must be a string");
    generation.chat.options.think = effort->get_string() != "none";
  }
  generation.has_options = read_options(object, generation.chat.options);
  generation.chat.model = generation.model;
  generation.chat.messages = read_messages(object);
  generation.chat.tools = chosen_tools(object, read_tools(object));
  generation.chat.format = read_format(object);
  return call;
}

}  // namespace seer::http
