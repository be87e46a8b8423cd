#include "ws_protocol.hpp"

#include "base64_image.hpp"
#include "ollama_request.hpp"
#include "request_fields.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace seer::http {
namespace json = boost::json;

namespace {

WsError bad_message(const WsClientMessage& message, const std::string& text) {
  return WsError(WsErrorCode::bad_message, message.type + ": " + text, message.id);
}

std::string string_field(const WsClientMessage& message, std::string_view key) {
  const json::value* value = field(message.body, key);
  if (value == nullptr) return {};
  if (!value->is_string()) throw bad_message(message, std::string(key) + " must be a string");
  return std::string(value->get_string());
}

std::vector<Image> read_images(const WsClientMessage& message) {
  std::vector<Image> images;
  const json::value* value = field(message.body, "images");
  if (value == nullptr) return images;
  if (!value->is_array()) throw bad_message(message, "images must be a list of base64 strings");
  for (const json::value& item : value->get_array()) {
    if (!item.is_string()) throw bad_message(message, "images must be a list of base64 strings");
    try {
      images.push_back(
          decode_base64_image(item.get_string(), "image " + std::to_string(images.size() + 1)));
    } catch (const BadRequest& error) {
      throw WsError(WsErrorCode::bad_image, error.what(), message.id);
    }
  }
  return images;
}

std::string to_text(const json::object& frame) { return json::serialize(frame); }

json::object frame_of(std::string_view type, const json::value& id) {
  json::object frame{{"type", type}};
  if (!id.is_null()) frame["id"] = id;
  return frame;
}

}  // namespace

std::string_view to_string(WsErrorCode code) {
  switch (code) {
    case WsErrorCode::bad_json:
      return "bad_json";
    case WsErrorCode::bad_message:
      return "bad_message";
    case WsErrorCode::bad_image:
      return "bad_image";
    case WsErrorCode::unknown_type:
      return "unknown_type";
    case WsErrorCode::unauthorized:
      return "unauthorized";
    case WsErrorCode::unknown_agent:
      return "unknown_agent";
    case WsErrorCode::unknown_event:
      return "unknown_event";
    case WsErrorCode::unknown_id:
      return "unknown_id";
    case WsErrorCode::busy:
      return "busy";
    case WsErrorCode::cancelled:
      return "cancelled";
    case WsErrorCode::too_large:
      return "too_large";
    case WsErrorCode::agent_error:
      return "agent_error";
    case WsErrorCode::internal:
      return "internal";
  }
  return "internal";
}

WsClientMessage parse_ws_message(std::string_view text) {
  boost::system::error_code error;
  json::value value = json::parse(text, error);
  if (error) throw WsError(WsErrorCode::bad_json, "invalid JSON: " + error.message());
  if (!value.is_object()) throw WsError(WsErrorCode::bad_json, "a message must be a JSON object");
  WsClientMessage message;
  message.body = std::move(value.get_object());
  if (const json::value* id = field(message.body, "id")) {
    if (!id->is_string() && !id->is_int64() && !id->is_uint64()) {
      throw WsError(WsErrorCode::bad_message, "id must be a string or an integer");
    }
    message.id = *id;
  }
  const json::value* type = field(message.body, "type");
  if (type == nullptr || !type->is_string()) {
    throw WsError(WsErrorCode::bad_message, "a message needs a string type", message.id);
  }
  message.type = std::string(type->get_string());
  return message;
}

WsHello read_hello(const WsClientMessage& message) {
  WsHello hello;
  if (const json::value* token = field(message.body, "token")) {
    if (!token->is_string()) throw bad_message(message, "token must be a string");
    hello.token = std::string(token->get_string());
  }
  hello.agent = string_field(message, "agent");
  hello.session = string_field(message, "session");
  return hello;
}

json::value read_required_id(const WsClientMessage& message) {
  if (message.id.is_null()) throw bad_message(message, "id is required");
  return message.id;
}

WsChat read_chat(const WsClientMessage& message) {
  WsChat chat{.id = read_required_id(message)};
  const json::value* text = field(message.body, "text");
  if (text == nullptr || !text->is_string()) throw bad_message(message, "text must be a string");
  chat.text = std::string(text->get_string());
  chat.agent = string_field(message, "agent");
  if (const json::value* options = field(message.body, "options")) {
    if (!options->is_object()) throw bad_message(message, "options must be an object");
    try {
      chat.options = read_ollama_options(options->get_object());
    } catch (const BadRequest& error) {
      throw bad_message(message, error.what());
    }
  }
  chat.images = read_images(message);
  return chat;
}

WsLook read_look(const WsClientMessage& message) {
  return {.id = read_required_id(message), .agent = string_field(message, "agent")};
}

WsSubscription read_subscription(const WsClientMessage& message, bool events_required) {
  WsSubscription subscription{.agent = string_field(message, "agent")};
  const json::value* events = field(message.body, "events");
  if (events == nullptr) {
    if (events_required) throw bad_message(message, "events must be a list of event names");
    return subscription;
  }
  if (!events->is_array()) throw bad_message(message, "events must be a list of event names");
  for (const json::value& event : events->get_array()) {
    if (!event.is_string()) throw bad_message(message, "events must be a list of event names");
    const std::string_view name = event.get_string();
    if (std::ranges::find(kWsEventNames, name) == kWsEventNames.end()) {
      throw WsError(WsErrorCode::unknown_event,
                    "unknown event '" + std::string(name) +
                        "' (known: vision_report, mood, person, lights, trigger)",
                    message.id);
    }
    subscription.events.emplace_back(name);
  }
  if (events_required && subscription.events.empty()) {
    throw bad_message(message, "events must name at least one event");
  }
  return subscription;
}

std::string welcome_frame(const WsWelcome& welcome) {
  json::array agents;
  for (const std::string& agent : welcome.agents) agents.emplace_back(agent);
  json::array events;
  for (const std::string_view event : kWsEventNames) events.emplace_back(event);
  return to_text(
      {{"type", "welcome"},
       {"protocol", kWsProtocolVersion},
       {"server", welcome.server},
       {"session", welcome.session},
       {"agent", welcome.agent.empty() ? json::value(nullptr) : json::value(welcome.agent)},
       {"agents", std::move(agents)},
       {"events", std::move(events)},
       {"max_message", welcome.max_message}});
}

std::string token_frame(const json::value& id, std::string_view text) {
  json::object frame = frame_of("token", id);
  frame["text"] = text;
  return to_text(frame);
}

std::string done_frame(const json::value& id, const AgentReply& reply, bool cancelled,
                       std::int64_t total_nanoseconds) {
  const GenerationResult& result = reply.result;
  json::object frame = frame_of("done", id);
  frame["text"] = result.text;
  frame["done_reason"] = cancelled ? "cancelled" : result.done_reason;
  frame["cancelled"] = cancelled;
  frame["timings"] = json::object{{"total_ns", total_nanoseconds},
                                  {"load_ns", result.load_nanoseconds},
                                  {"prompt_ns", result.prompt_nanoseconds},
                                  {"prompt_tokens", result.prompt_tokens},
                                  {"eval_ns", result.generation_nanoseconds},
                                  {"eval_tokens", result.generated_tokens}};
  if (!reply.vision_report.is_null()) frame["vision_report"] = reply.vision_report;
  if (!reply.actions.empty()) {
    json::array actions;
    for (const AgentAction& action : reply.actions) {
      actions.push_back(json::object{
          {"tool", action.tool}, {"arguments", action.arguments}, {"result", action.result}});
    }
    frame["actions"] = std::move(actions);
  }
  return to_text(frame);
}

std::string cancelled_frame(const json::value& id) {
  return done_frame(id, AgentReply{.result = {.done_reason = "cancelled"}}, true, 0);
}

std::string report_frame(const json::value& id, std::string_view agent, const json::value& report) {
  json::object frame = frame_of("report", id);
  frame["agent"] = agent;
  frame["report"] = report;
  return to_text(frame);
}

std::string event_frame(std::string_view event, std::string_view agent, const json::value& data,
                        std::string_view time) {
  return to_text(
      {{"type", "event"}, {"event", event}, {"agent", agent}, {"time", time}, {"data", data}});
}

std::string subscribed_frame(const std::vector<std::pair<std::string, std::string>>& current) {
  json::array subscriptions;
  for (const auto& [event, agent] : current) {
    subscriptions.push_back(json::object{
        {"event", event}, {"agent", agent.empty() ? json::value(nullptr) : json::value(agent)}});
  }
  return to_text({{"type", "subscribed"}, {"subscriptions", std::move(subscriptions)}});
}

std::string pong_frame(const json::value& id) { return to_text(frame_of("pong", id)); }

std::string error_frame(const json::value& id, WsErrorCode code, std::string_view message) {
  json::object frame = frame_of("error", id);
  frame["code"] = to_string(code);
  frame["message"] = message;
  return to_text(frame);
}

}  // namespace seer::http
