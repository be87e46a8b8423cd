#pragma once
// The /ws JSON protocol (docs/protocol-websocket.md): client messages read into structs, and
// the server's frames written as JSON text. Pure functions, no I/O.

#include <seer/image.hpp>
#include <seer/services/agent.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seer::http {

inline constexpr int kWsProtocolVersion = 1;

// The `code` of an error frame.
enum class WsErrorCode {
  bad_json,       // not JSON, or not an object
  bad_message,    // a field missing or of the wrong type, an id already in use
  bad_image,      // an image that is not base64 or not a picture
  unknown_type,   // a `type` the server does not know
  unauthorized,   // missing or wrong token (the connection is then closed)
  unknown_agent,  // no agent of that name (or none at all)
  unknown_event,  // a subscription to an event the server does not publish
  unknown_id,     // cancel of an id with nothing in progress
  busy,           // one chat (or look) already in progress, or the server's queue is full
  cancelled,      // a look cancelled before it was taken
  too_large,      // a message over ws_max_message (the connection is then closed)
  agent_error,    // the agent failed (its message)
  internal,       // anything else
};

std::string_view to_string(WsErrorCode code);

// A client message the server answers with an error frame; the connection lives on unless
// the code says otherwise.
class WsError : public std::runtime_error {
 public:
  WsError(WsErrorCode code, const std::string& message, boost::json::value id = nullptr)
      : std::runtime_error(message), code_(code), id_(std::move(id)) {}
  WsErrorCode code() const { return code_; }
  const boost::json::value& id() const { return id_; }

 private:
  WsErrorCode code_;
  boost::json::value id_;
};

// The events a client can subscribe to; each is published on `agents/<agent>/<event>`.
inline constexpr std::array<std::string_view, 5> kWsEventNames{"vision_report", "mood", "person",
                                                               "lights", "trigger"};

struct WsClientMessage {
  std::string type;
  boost::json::object body;
  boost::json::value id;  // null when the message has none
};

struct WsHello {
  std::optional<std::string> token;
  std::string agent;    // empty: keep the default
  std::string session;  // empty: the connection's own
};

struct WsChat {
  boost::json::value id;
  std::string text;
  std::string agent;  // empty: the connection's agent
  std::vector<Image> images;
  std::optional<GenerationOptions> options;
};

struct WsLook {
  boost::json::value id;
  std::string agent;
};

struct WsSubscription {
  std::vector<std::string> events;  // for unsubscribe, empty means every event
  std::string agent;                // empty: every agent
};

// Throws WsError (bad_json, bad_message) for text that is not an object with a string `type`
// or whose `id` is neither a string nor an integer.
WsClientMessage parse_ws_message(std::string_view text);
// Each throws WsError naming the offending field (bad_message, bad_image, unknown_event).
WsHello read_hello(const WsClientMessage& message);
WsChat read_chat(const WsClientMessage& message);
WsLook read_look(const WsClientMessage& message);
// `id` required, for cancel.
boost::json::value read_required_id(const WsClientMessage& message);
WsSubscription read_subscription(const WsClientMessage& message, bool events_required);

// The server's frames, as JSON text.
struct WsWelcome {
  std::string server;
  std::string session;
  std::string agent;  // the default agent, empty when there is none
  std::vector<std::string> agents;
  std::size_t max_message = 0;
};
std::string welcome_frame(const WsWelcome& welcome);
std::string token_frame(const boost::json::value& id, std::string_view text);
std::string done_frame(const boost::json::value& id, const AgentReply& reply, bool cancelled,
                       std::int64_t total_nanoseconds);
std::string cancelled_frame(const boost::json::value& id);  // a done frame for a turn never run
std::string report_frame(const boost::json::value& id, std::string_view agent,
                         const boost::json::value& report);
std::string event_frame(std::string_view event, std::string_view agent,
                        const boost::json::value& data, std::string_view time);
std::string subscribed_frame(const std::vector<std::pair<std::string, std::string>>& current);
std::string pong_frame(const boost::json::value& id);
std::string error_frame(const boost::json::value& id, WsErrorCode code, std::string_view message);

}  // namespace seer::http
