#pragma once
// How MQTT messages and bus events map onto each other:
//   received on <topic>        → bus event mqtt/in/<topic> {topic, payload, retained, qos}
//   bus event mqtt/out/<topic> {payload, qos, retain} → published on <topic>

#include "mqtt_settings.hpp"
#include "outgoing_queue.hpp"

#include <seer/event.hpp>

#include <string>
#include <string_view>

namespace seer::mqtt {

inline constexpr std::string_view kInPrefix = "mqtt/in/";
inline constexpr std::string_view kOutPrefix = "mqtt/out/";

struct IncomingMessage {
  std::string topic;
  std::string payload;
  int qos = 0;
  bool retained = false;
};

// The event for a received message. A JSON payload is parsed; other UTF-8 text stays a
// string; anything else (a JPEG snapshot) travels as the attachment "payload" with
// payload null and binary true.
Event incoming_event(const IncomingMessage& message, std::string source);

// The message for an event on mqtt/out/<topic>. `payload` may be a string (sent as is),
// any other JSON (sent serialized), or absent (the event's first attachment, else empty).
// Throws std::invalid_argument naming what is wrong.
OutgoingMessage outgoing_message(const Event& event, int default_qos);

// The subscription a `mqtt/subscribe` event {"topic": "<filter>", "qos": 1} asks for (QoS
// defaults to `default_qos`). Throws std::invalid_argument for a bad filter or QoS.
SubscriptionSettings subscription_from_json(const boost::json::value& payload, int default_qos);

bool is_utf8(std::string_view text);

}  // namespace seer::mqtt
