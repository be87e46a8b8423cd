// MqttSession's outgoing side: bus events and discovery configs to the broker, and the
// offline queue that holds QoS 1/2 messages while the broker is away.

#include "mqtt_session.hpp"

#include <mosquitto.h>

#include <boost/json/serialize.hpp>

namespace seer::mqtt {

// ---- sending --------------------------------------------------------------------------------

void MqttSession::send(OutgoingMessage message) {
  bool dropped = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (connected_ && (message.qos == 0 || queue_.empty())) {
      publish_locked(message);
      return;
    }
    if (message.qos == 0) {
      ++statistics_.dropped_qos0;
      return;
    }
    if (auto oldest = queue_.push(std::move(message))) {
      note_drop_locked(*oldest);
      dropped = true;
    }
  }
  if (dropped) post_health_refresh();
}

bool MqttSession::publish_locked(const OutgoingMessage& message) {
  const MosquittoClient::Sent sent = client_->publish(message);
  if (sent.code == MOSQ_ERR_SUCCESS) {
    ++statistics_.published;
    return true;
  }
  if (sent.code == MOSQ_ERR_NO_CONN && message.qos > 0) {
    // The connection went before our callback said so: keep it for the reconnect.
    queue_.push_front(message);
    return false;
  }
  ++statistics_.rejected;
  context_.log().error("mqtt: cannot publish to {}: {}", message.topic,
                       MosquittoClient::error_text(sent.code));
  return true;
}

void MqttSession::flush_queue_locked() {
  while (auto message = queue_.pop()) {
    if (!publish_locked(*message)) break;
  }
}

void MqttSession::note_drop_locked(const OutgoingMessage& dropped) {
  statistics_.dropped_oldest = queue_.dropped();
  // The first drop and every hundredth: a long outage must not flood the log.
  if (queue_.dropped() == 1 || queue_.dropped() % 100 == 0) {
    context_.log().warn(
        "mqtt: offline queue full ({} messages): dropped the oldest, for {} ({} "
        "dropped so far)",
        queue_.capacity(), dropped.topic, queue_.dropped());
  }
}

// ---- discovery ------------------------------------------------------------------------------

void MqttSession::register_entity(DiscoveryEntity entity) {
  std::lock_guard lock(mutex_);
  const DiscoveryEntity copy = entity;
  if (!discovery_.add(std::move(entity)) || !connected_) return;
  if (!discovery_subscribed_) {
    announce_locked();
  } else {
    announce_entity_locked(copy);
  }
}

void MqttSession::remove_entity(const std::string& component, const std::string& object_id) {
  bool dropped = false;
  {
    std::lock_guard lock(mutex_);
    const auto removed = discovery_.remove(component, object_id);
    if (!removed) return;
    // An empty retained config deletes the entity in HA.
    OutgoingMessage deletion{discovery_topic(discovery_origin_, *removed), "", 1, true};
    if (connected_ && queue_.empty()) {
      publish_locked(deletion);
    } else if (auto oldest = queue_.push(std::move(deletion))) {
      note_drop_locked(*oldest);
      dropped = true;
    }
  }
  if (dropped) post_health_refresh();
}

void MqttSession::announce_locked() {
  if (discovery_.empty()) return;
  if (!discovery_subscribed_) {
    const std::string status = home_assistant_status_topic(discovery_origin_);
    if (const int failed = client_->subscribe(status, 1)) {
      context_.log().error("mqtt: cannot subscribe to {}: {}", status,
                           MosquittoClient::error_text(failed));
    } else {
      discovery_subscribed_ = true;
    }
  }
  for (const DiscoveryEntity& entity : discovery_.entities()) announce_entity_locked(entity);
}

void MqttSession::announce_entity_locked(const DiscoveryEntity& entity) {
  publish_locked({discovery_topic(discovery_origin_, entity),
                  boost::json::serialize(discovery_config(discovery_origin_, entity)), 1, true});
}

}  // namespace seer::mqtt
