#include "message_mapping.hpp"

#include <seer/topic.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace seer::mqtt {
namespace {

// How many continuation bytes follow a lead byte; -1 for bytes that cannot lead.
int continuation_bytes(unsigned char lead) {
  if (lead < 0x80) return 0;
  if (lead >= 0xC2 && lead <= 0xDF) return 1;
  if (lead >= 0xE0 && lead <= 0xEF) return 2;
  if (lead >= 0xF0 && lead <= 0xF4) return 3;
  return -1;
}

}  // namespace

bool is_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int extra = continuation_bytes(lead);
    if (extra < 0 || text.size() - i <= static_cast<std::size_t>(extra)) return false;
    const auto second = extra > 0 ? static_cast<unsigned char>(text[i + 1]) : 0x80;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
        (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
      return false;
    }
    for (int k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]) & 0xC0) != 0x80) {
        return false;
      }
    }
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

Event incoming_event(const IncomingMessage& message, std::string source) {
  Event event;
  event.topic = std::string(kInPrefix) + message.topic;
  boost::json::object payload;
  payload["topic"] = message.topic;
  payload["retained"] = message.retained;
  payload["qos"] = message.qos;
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(message.payload, error);
  if (!error) {
    payload["payload"] = std::move(parsed);
  } else if (is_utf8(message.payload)) {
    payload["payload"] = message.payload;
  } else {
    payload["payload"] = nullptr;
    payload["binary"] = true;
    auto bytes = std::shared_ptr<std::byte[]>(new std::byte[message.payload.size()]);
    std::memcpy(bytes.get(), message.payload.data(), message.payload.size());
    Attachment attachment;
    attachment.name = "payload";
    attachment.media_type = "application/octet-stream";
    attachment.size = message.payload.size();
    attachment.data = std::shared_ptr<const std::byte>(bytes, bytes.get());
    event.attachments.push_back(std::move(attachment));
  }
  event.payload = std::move(payload);
  event.source = std::move(source);
  return event;
}

OutgoingMessage outgoing_message(const Event& event, int default_qos) {
  if (!event.topic.starts_with(kOutPrefix) || event.topic.size() == kOutPrefix.size()) {
    throw std::invalid_argument("'" + event.topic + "' is not mqtt/out/<topic>");
  }
  OutgoingMessage message;
  message.topic = event.topic.substr(kOutPrefix.size());
  message.qos = default_qos;

  const boost::json::object* fields = event.payload.if_object();
  if (fields == nullptr) {
    throw std::invalid_argument(event.topic + ": payload must be an object {payload, qos, retain}");
  }
  if (const boost::json::value* qos = fields->if_contains("qos")) {
    if (!qos->is_int64() || qos->as_int64() < 0 || qos->as_int64() > 2) {
      throw std::invalid_argument(event.topic + ": qos must be 0, 1 or 2, not " +
                                  boost::json::serialize(*qos));
    }
    message.qos = static_cast<int>(qos->as_int64());
  }
  if (const boost::json::value* retain = fields->if_contains("retain")) {
    if (!retain->is_bool()) throw std::invalid_argument(event.topic + ": retain must be a boolean");
    message.retain = retain->as_bool();
  }
  if (const boost::json::value* payload = fields->if_contains("payload")) {
    message.payload =
        payload->is_string() ? std::string(payload->as_string()) : boost::json::serialize(*payload);
  } else if (!event.attachments.empty() && event.attachments.front().data) {
    const Attachment& attachment = event.attachments.front();
    message.payload.assign(reinterpret_cast<const char*>(attachment.data.get()), attachment.size);
  }
  return message;
}

SubscriptionSettings subscription_from_json(const boost::json::value& payload, int default_qos) {
  const boost::json::object* fields = payload.if_object();
  const boost::json::value* topic = fields ? fields->if_contains("topic") : nullptr;
  if (!topic || !topic->is_string()) {
    throw std::invalid_argument("expected {\"topic\": \"<filter>\", \"qos\": 0-2}, got " +
                                boost::json::serialize(payload));
  }
  SubscriptionSettings subscription{std::string(topic->as_string()), default_qos};
  if (const std::string problem = check_topic_filter(subscription.filter); !problem.empty()) {
    throw std::invalid_argument("invalid topic filter '" + subscription.filter + "': " + problem);
  }
  if (const boost::json::value* qos = fields->if_contains("qos")) {
    if (!qos->is_int64() || qos->as_int64() < 0 || qos->as_int64() > 2) {
      throw std::invalid_argument("qos must be 0, 1 or 2, not " + boost::json::serialize(*qos));
    }
    subscription.qos = static_cast<int>(qos->as_int64());
  }
  return subscription;
}

}  // namespace seer::mqtt
