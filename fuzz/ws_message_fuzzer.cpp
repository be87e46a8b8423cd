// The WebSocket protocol on arbitrary client frames: parse one message, then read it as the
// session would for its type. Bad frames are refused with WsError (an error frame), whose
// frame must serialise.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ws_protocol.hpp"

namespace http = seer::http;

namespace {

void read_as_its_type(const http::WsClientMessage& message) {
  if (message.type == "hello") {
    static_cast<void>(http::read_hello(message));
  } else if (message.type == "chat") {
    static_cast<void>(http::read_chat(message));
  } else if (message.type == "look") {
    static_cast<void>(http::read_look(message));
  } else if (message.type == "cancel") {
    static_cast<void>(http::read_required_id(message));
  } else if (message.type == "subscribe") {
    static_cast<void>(http::read_subscription(message, true));
  } else if (message.type == "unsubscribe") {
    static_cast<void>(http::read_subscription(message, false));
  } else if (message.type == "ping") {
    static_cast<void>(http::pong_frame(message.id));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    read_as_its_type(http::parse_ws_message(text));
  } catch (const http::WsError& error) {
    static_cast<void>(http::error_frame(error.id(), error.code(), error.what()));
  }
  return 0;
}
