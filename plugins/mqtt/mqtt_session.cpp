#include "mqtt_session.hpp"

#include <seer/executor.hpp>
#include <seer/topic.hpp>

#include <mosquitto.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <stdexcept>

namespace seer::mqtt {
namespace {

// How long stop() waits for the broker to acknowledge "offline", and for handlers.
constexpr auto kFarewellWait = std::chrono::seconds(1);
constexpr auto kHandlerWait = std::chrono::seconds(2);
constexpr char kOnline[] = "online";
constexpr char kOffline[] = "offline";

std::string seconds_text(Duration duration) {
  const auto tenths = duration.count() / 100;
  return std::to_string(tenths / 10) + (tenths % 10 != 0 ? "." + std::to_string(tenths % 10) : "") +
         "s";
}

}  // namespace

MqttSession::MqttSession(const MqttSettings& settings, PluginContext& context, std::string version)
    : settings_(settings),
      subscriptions_(settings.subscriptions),
      context_(context),
      address_(broker_address(settings)),
      strand_(boost::asio::make_strand(context.executor().context())),
      retry_timer_(strand_),
      retry_delay_(settings.reconnect_initial),
      queue_(settings.offline_queue) {
  discovery_origin_.prefix = settings.discovery.prefix;
  discovery_origin_.node_id = settings.discovery.node_id;
  discovery_origin_.availability_topic = settings.availability_topic;
  discovery_origin_.device = settings.discovery.device;
  discovery_origin_.software_version = std::move(version);
  for (const auto& entity : settings.discovery.entities) {
    discovery_.add(discovery_entity_from_json(entity));
  }
}

MqttSession::~MqttSession() = default;

// ---- lifecycle ----------------------------------------------------------------------------

void MqttSession::start() {
  MosquittoListener& listener = *this;
  client_ = std::make_unique<MosquittoClient>(settings_, listener);
  context_.health().set(HealthState::starting, "connecting to " + address_);

  SubscribeOptions options;
  options.overflow = OverflowPolicy::block;  // outgoing messages are never dropped on the bus
  options.subscriber_name = "mqtt out";
  out_subscription_ = context_.subscribe(
      std::string(kOutPrefix) + "#",
      [this](const EventPtr& event) {
        try {
          send(outgoing_message(*event, settings_.qos));
        } catch (const std::invalid_argument& invalid) {
          context_.log().warn("mqtt: {}", invalid.what());
          std::lock_guard lock(mutex_);
          ++statistics_.rejected;
        }
      },
      options);
  options.subscriber_name = "mqtt discovery";
  register_subscription_ = context_.subscribe(
      "mqtt/discovery/register",
      [this](const EventPtr& event) {
        try {
          register_entity(discovery_entity_from_json(event->payload));
        } catch (const std::invalid_argument& invalid) {
          context_.log().warn("mqtt/discovery/register: {}", invalid.what());
        }
      },
      options);
  subscribe_subscription_ = context_.subscribe(
      "mqtt/subscribe",
      [this](const EventPtr& event) {
        try {
          subscribe(subscription_from_json(event->payload, settings_.qos));
        } catch (const std::invalid_argument& invalid) {
          context_.log().warn("mqtt/subscribe: {}", invalid.what());
        }
      },
      options);
  remove_subscription_ = context_.subscribe(
      "mqtt/discovery/remove",
      [this](const EventPtr& event) {
        try {
          const DiscoveryEntity entity = discovery_entity_from_json(event->payload);
          remove_entity(entity.component, entity.object_id);
        } catch (const std::invalid_argument& invalid) {
          context_.log().warn("mqtt/discovery/remove: {}", invalid.what());
        }
      },
      options);

  context_.log().info("mqtt: connecting to {} as '{}'", address_, settings_.client_id);
  post([this] { attempt_connect(); });
}

void MqttSession::stop() {
  out_subscription_.unsubscribe();
  register_subscription_.unsubscribe();
  remove_subscription_.unsubscribe();
  subscribe_subscription_.unsubscribe();

  std::unique_lock lock(mutex_);
  if (stopping_ || !client_) return;
  stopping_ = true;
  retry_timer_.cancel();
  if (connected_) {
    // A clean disconnect does not fire the Last Will, so say goodbye ourselves.
    const auto sent = client_->publish({settings_.availability_topic, kOffline, 1, true});
    if (sent.code == MOSQ_ERR_SUCCESS) {
      offline_mid_ = sent.mid;
      changed_.wait_for(lock, kFarewellWait, [this] { return !offline_mid_; });
    }
  }
  if (!changed_.wait_for(lock, kHandlerWait, [this] { return outstanding_ == 0; })) {
    context_.log().warn("mqtt: {} handlers still pending at stop", outstanding_);
  }
  lock.unlock();
  // Joins the network thread: no callback runs after this.
  client_->shut_down();
  if (queue_.size() > 0) {
    context_.log().warn("mqtt: {} queued messages were never sent", queue_.size());
  }
}

// ---- network thread callbacks: they only post -----------------------------------------------

void MqttSession::on_connect(int code) {
  post([this, code] { handle_connect(code); });
}

void MqttSession::on_disconnect(int code) {
  post([this, code] { handle_disconnect(code); });
}

void MqttSession::on_message(IncomingMessage message) {
  post([this, message = std::move(message)] { handle_message(message); });
}

void MqttSession::on_error_logged(std::string text) {
  post([this, text = std::move(text)] {
    std::lock_guard lock(mutex_);
    logged_error_ = text;
  });
}

void MqttSession::on_publish(int mid) {
  std::lock_guard lock(mutex_);
  ++statistics_.acknowledged;
  if (offline_mid_ == mid) {
    offline_mid_.reset();
    changed_.notify_all();
  }
}

template <typename Work>
void MqttSession::post(Work work) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    ++outstanding_;
  }
  boost::asio::post(strand_, [self = shared_from_this(), keepalive = context_.keepalive(),
                              work = std::move(work)]() mutable {
    bool run = false;
    {
      std::lock_guard lock(self->mutex_);
      run = !self->stopping_;
    }
    // Handlers must not throw: an exception would escape io_context::run().
    try {
      if (run) work();
    } catch (const std::exception& failure) {
      self->context_.log().error("mqtt: {}", failure.what());
    }
    std::lock_guard lock(self->mutex_);
    if (--self->outstanding_ == 0) self->changed_.notify_all();
  });
}

void MqttSession::arm_timer(boost::asio::steady_timer& timer, Duration delay,
                            void (MqttSession::*then)()) {
  if (stopping_) return;  // stop() has cancelled the timers already
  ++outstanding_;
  timer.expires_after(delay);
  timer.async_wait(boost::asio::bind_executor(
      strand_, [self = shared_from_this(), keepalive = context_.keepalive(),
                then](const boost::system::error_code& error) {
        bool run = false;
        {
          std::lock_guard lock(self->mutex_);
          run = !self->stopping_ && !error;
        }
        try {
          if (run) (self.get()->*then)();
        } catch (const std::exception& failure) {
          self->context_.log().error("mqtt: {}", failure.what());
        }
        std::lock_guard lock(self->mutex_);
        if (--self->outstanding_ == 0) self->changed_.notify_all();
      }));
}

// ---- connection state (on the strand) -------------------------------------------------------

void MqttSession::attempt_connect() {
  bool timed_out = false;
  {
    std::lock_guard lock(mutex_);
    if (connected_) return;
    timed_out = problem_.empty() && attempts_ > 0;
    if (timed_out) {
      if (logged_error_.find("SSL") != std::string::npos) {
        problem_ = "TLS handshake with " + address_ + " failed (" + logged_error_ +
                   "; check tls.ca_file and the broker's certificate), retrying";
      } else {
        problem_ = "no connection to " + address_ + " yet" +
                   (logged_error_.empty() ? "" : " (" + logged_error_ + ")") + ", retrying";
      }
      context_.log().warn("mqtt: {}", problem_);
    }
  }
  if (timed_out) refresh_health();
  // libmosquitto's own thread reconnects after a lost connection, but it ends for good on
  // some errors (a failed TLS handshake) and never starts after a connect that failed at
  // once: so we start the client afresh whenever no connection came up in time.
  client_->shut_down();
  const int code = client_->connect_async();
  if (code == MOSQ_ERR_SUCCESS) client_->start_loop();
  {
    std::lock_guard lock(mutex_);
    ++attempts_;
    const Duration delay = retry_delay_;
    retry_delay_ = std::min(retry_delay_ * 2, settings_.reconnect_max);
    if (code == MOSQ_ERR_SUCCESS) {
      // A connect in progress gets at least connect_timeout before it is started again.
      arm_timer(retry_timer_, std::max(delay, settings_.connect_timeout),
                &MqttSession::attempt_connect);
      return;
    }
    problem_ = code == MOSQ_ERR_TLS ? "TLS handshake with " + address_ +
                                          " failed (check tls.ca_file and the broker's certificate)"
                                    : "broker unreachable at " + address_ + " (" +
                                          MosquittoClient::error_text(code) + ")";
    problem_ += ", retrying in " + seconds_text(delay);
    arm_timer(retry_timer_, delay, &MqttSession::attempt_connect);
    context_.log().warn("mqtt: {}", problem_);
  }
  refresh_health();
}

void MqttSession::handle_connect(int code) {
  {
    std::lock_guard lock(mutex_);
    if (code != 0) {
      connected_ = false;
      problem_ = "connection refused by " + address_ + ": " + MosquittoClient::connack_text(code);
      // CONNACK 4: bad user name or password; 5: not authorised.
      if (code == 4 || code == 5) {
        problem_ += " (check the credentials in the variables named by username_env/password_env)";
      }
      problem_ += ", retrying";
      context_.log().warn("mqtt: {}", problem_);
    } else {
      connected_ = true;
      ever_connected_ = true;
      problem_.clear();
      logged_error_.clear();
      retry_delay_ = settings_.reconnect_initial;
      retry_timer_.cancel();
      publish_locked({settings_.availability_topic, kOnline, 1, true});
      for (const SubscriptionSettings& subscription : subscriptions_) {
        if (const int failed = client_->subscribe(subscription.filter, subscription.qos)) {
          context_.log().error("mqtt: cannot subscribe to {}: {}", subscription.filter,
                               MosquittoClient::error_text(failed));
        }
      }
      discovery_subscribed_ = false;
      announce_locked();
      const std::size_t backlog = queue_.size();
      flush_queue_locked();
      context_.log().info(
          "mqtt: connected to {}{}", address_,
          backlog > 0 ? ", sent " + std::to_string(backlog) + " queued messages" : std::string());
    }
  }
  refresh_health();
}

void MqttSession::handle_disconnect(int code) {
  {
    std::lock_guard lock(mutex_);
    const bool was_connected = connected_;
    connected_ = false;
    discovery_subscribed_ = false;
    if (code == 0) return;  // we asked for it
    // A refused CONNACK is followed by a disconnect; keep the more telling reason.
    if (was_connected || problem_.empty()) {
      problem_ = "connection to " + address_ + " lost (" + MosquittoClient::error_text(code) +
                 "), retrying";
      context_.log().warn("mqtt: {}", problem_);
    }
    // libmosquitto retries by itself; we step in only if that has not worked in a while.
    if (was_connected) {
      arm_timer(retry_timer_, std::max(retry_delay_, settings_.connect_timeout),
                &MqttSession::attempt_connect);
    }
  }
  refresh_health();
}

void MqttSession::handle_message(const IncomingMessage& message) {
  {
    std::lock_guard lock(mutex_);
    ++statistics_.received;
    // HA came (back) online: it forgot every entity that was not retained, so announce again.
    if (!discovery_.empty() && message.topic == home_assistant_status_topic(discovery_origin_) &&
        message.payload == kOnline) {
      announce_locked();
    }
  }
  if (!wanted_on_bus(message.topic)) return;
  try {
    context_.bus().publish(incoming_event(message, context_.instance_name()));
  } catch (const std::invalid_argument& invalid) {
    context_.log().warn("mqtt: dropped a message: {}", invalid.what());
    std::lock_guard lock(mutex_);
    ++statistics_.rejected;
  }
}

bool MqttSession::wanted_on_bus(const std::string& topic) const {
  std::lock_guard lock(mutex_);
  return std::any_of(subscriptions_.begin(), subscriptions_.end(),
                     [&](const SubscriptionSettings& s) { return topic_matches(s.filter, topic); });
}

void MqttSession::subscribe(SubscriptionSettings subscription) {
  std::lock_guard lock(mutex_);
  const auto existing =
      std::find_if(subscriptions_.begin(), subscriptions_.end(),
                   [&](const SubscriptionSettings& s) { return s.filter == subscription.filter; });
  if (existing != subscriptions_.end()) {
    if (existing->qos >= subscription.qos) return;
    existing->qos = subscription.qos;
  } else {
    subscriptions_.push_back(subscription);
  }
  context_.log().debug("mqtt: subscribing to {} (QoS {})", subscription.filter, subscription.qos);
  if (connected_ && client_) {
    if (const int failed = client_->subscribe(subscription.filter, subscription.qos)) {
      context_.log().error("mqtt: cannot subscribe to {}: {}", subscription.filter,
                           MosquittoClient::error_text(failed));
    }
  }
}

// ---- health and statistics ------------------------------------------------------------------

void MqttSession::refresh_health() {
  HealthState state = HealthState::ready;
  std::string reason;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    const std::string dropped = queue_.dropped() > 0
                                    ? "; " + std::to_string(queue_.dropped()) +
                                          " queued messages dropped (offline_queue full)"
                                    : std::string();
    if (connected_) {
      reason = "connected to " + address_ + dropped;
    } else if (problem_.empty()) {
      state = ever_connected_ ? HealthState::degraded : HealthState::starting;
      reason = "connecting to " + address_ + dropped;
    } else {
      state = HealthState::degraded;
      reason = problem_ + dropped;
    }
  }
  context_.health().set(state, std::move(reason));
}

void MqttSession::post_health_refresh() {
  post([this] { refresh_health(); });
}

MqttStatistics MqttSession::statistics() const {
  std::lock_guard lock(mutex_);
  MqttStatistics statistics = statistics_;
  statistics.queued = queue_.size();
  statistics.dropped_oldest = queue_.dropped();
  statistics.connected = connected_;
  return statistics;
}

}  // namespace seer::mqtt
