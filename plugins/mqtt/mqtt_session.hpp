#pragma once
// One running connection to the broker and everything tied to it: bus ↔ MQTT forwarding,
// the offline queue, availability, HA discovery and the plugin's health.
//
// libmosquitto's callbacks run on its network thread and only post work to a strand on the
// runtime's executor; connection state changes happen there, in order.

#include "home_assistant_discovery.hpp"
#include "mosquitto_client.hpp"
#include "mqtt_settings.hpp"
#include "outgoing_queue.hpp"

#include <seer/plugin.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace seer::mqtt {

struct MqttStatistics {
  std::uint64_t received = 0;        // messages from the broker
  std::uint64_t published = 0;       // messages handed to libmosquitto
  std::uint64_t acknowledged = 0;    // publish confirmations (PUBACK/PUBCOMP, or QoS 0 sent)
  std::uint64_t queued = 0;          // waiting in the offline queue now
  std::uint64_t dropped_oldest = 0;  // pushed out of a full offline queue
  std::uint64_t dropped_qos0 = 0;    // QoS 0 messages sent while disconnected
  std::uint64_t rejected = 0;        // malformed events or messages libmosquitto refused
  bool connected = false;
};

class MqttSession final : public std::enable_shared_from_this<MqttSession>,
                          private MosquittoListener {
 public:
  MqttSession(const MqttSettings& settings, PluginContext& context, std::string version);
  ~MqttSession() override;
  MqttSession(const MqttSession&) = delete;
  MqttSession& operator=(const MqttSession&) = delete;

  // Subscribes on the bus and starts connecting; health is `starting` until connected.
  void start();
  // Publishes "offline" (waiting briefly for the broker's ack), disconnects, and waits for
  // queued handlers. Returns within a few seconds.
  void stop();

  // Sends now when connected; QoS >= 1 waits in the offline queue otherwise.
  void send(OutgoingMessage message);
  // Announces (or updates) an entity now when connected, and after every reconnect.
  void register_entity(DiscoveryEntity entity);
  // Deletes the entity in HA (an empty retained config) and forgets it.
  void remove_entity(const std::string& component, const std::string& object_id);
  // Adds a subscription (now when connected, and after every reconnect); an existing filter
  // keeps the higher QoS. Throws std::invalid_argument for a bad filter or QoS.
  void subscribe(SubscriptionSettings subscription);

  MqttStatistics statistics() const;

 private:
  // MosquittoListener: network thread; they post and return.
  void on_connect(int code) override;
  void on_disconnect(int code) override;
  void on_message(IncomingMessage message) override;
  void on_publish(int mid) override;
  void on_error_logged(std::string text) override;

  template <typename Work>
  void post(Work work);
  void attempt_connect();
  void arm_timer(boost::asio::steady_timer& timer, Duration delay, void (MqttSession::*then)());
  void handle_connect(int code);
  void handle_disconnect(int code);
  void handle_message(const IncomingMessage& message);

  // These expect mutex_ held.
  bool publish_locked(const OutgoingMessage& message);
  void announce_locked();
  void announce_entity_locked(const DiscoveryEntity& entity);
  void flush_queue_locked();
  void note_drop_locked(const OutgoingMessage& dropped);

  void refresh_health();
  // From threads that are not on the strand.
  void post_health_refresh();
  bool wanted_on_bus(const std::string& topic) const;

  const MqttSettings settings_;
  std::vector<SubscriptionSettings> subscriptions_;  // the configured ones, then requested ones
  PluginContext& context_;
  const std::string address_;
  DiscoveryOrigin discovery_origin_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer retry_timer_;
  std::unique_ptr<MosquittoClient> client_;
  Subscription out_subscription_;
  Subscription register_subscription_;
  Subscription remove_subscription_;
  Subscription subscribe_subscription_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::size_t outstanding_ = 0;  // posted handlers and armed timers not finished yet
  bool connected_ = false;
  bool ever_connected_ = false;
  std::uint64_t attempts_ = 0;  // connect attempts started
  std::string problem_;         // why we are not connected; empty while connecting or connected
  std::string logged_error_;    // libmosquitto's last error message since the last connect
  Duration retry_delay_;
  OutgoingQueue queue_;
  DiscoveryRegistry discovery_;
  bool discovery_subscribed_ = false;
  std::optional<int> offline_mid_;  // the farewell "offline" message, acknowledged when reset
  MqttStatistics statistics_;
};

}  // namespace seer::mqtt
