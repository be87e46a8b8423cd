#include "mosquitto_client.hpp"

#include <mosquitto.h>

#include <chrono>
#include <mutex>
#include <stdexcept>

namespace seer::mqtt {
namespace {

constexpr char kOffline[] = "offline";
// Where CA certificates live when tls.ca_file is not given (Debian's ca-certificates).
constexpr char kSystemCaDirectory[] = "/etc/ssl/certs";

MosquittoListener& listener_of(void* user_data) {
  return *static_cast<MosquittoListener*>(user_data);
}

unsigned int whole_seconds(Duration duration) {
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(duration).count();
  return static_cast<unsigned int>(std::max<std::int64_t>(1, seconds));
}

void check(int code, const std::string& what) {
  if (code != MOSQ_ERR_SUCCESS) {
    throw std::runtime_error(what + ": " + MosquittoClient::error_text(code));
  }
}

}  // namespace

MosquittoClient::MosquittoClient(const MqttSettings& settings, MosquittoListener& listener)
    : host_(settings.host), port_(settings.port) {
  static std::once_flag library_initialised;
  std::call_once(library_initialised, [] { mosquitto_lib_init(); });
  keepalive_seconds_ = static_cast<int>(whole_seconds(settings.keepalive));

  handle_ = mosquitto_new(settings.client_id.c_str(), settings.clean_session, &listener);
  if (handle_ == nullptr) throw std::runtime_error("cannot create an MQTT client");

  mosquitto_connect_callback_set(
      handle_, [](mosquitto*, void* user, int code) { listener_of(user).on_connect(code); });
  mosquitto_disconnect_callback_set(
      handle_, [](mosquitto*, void* user, int code) { listener_of(user).on_disconnect(code); });
  mosquitto_publish_callback_set(
      handle_, [](mosquitto*, void* user, int mid) { listener_of(user).on_publish(mid); });
  mosquitto_log_callback_set(handle_, [](mosquitto*, void* user, int level, const char* text) {
    if (level == MOSQ_LOG_ERR && text != nullptr) listener_of(user).on_error_logged(text);
  });
  mosquitto_message_callback_set(
      handle_, [](mosquitto*, void* user, const mosquitto_message* message) {
        IncomingMessage incoming;
        incoming.topic = message->topic;
        if (message->payloadlen > 0) {
          incoming.payload.assign(static_cast<const char*>(message->payload),
                                  static_cast<std::size_t>(message->payloadlen));
        }
        incoming.qos = message->qos;
        incoming.retained = message->retain;
        listener_of(user).on_message(std::move(incoming));
      });

  try {
    check(mosquitto_reconnect_delay_set(handle_, whole_seconds(settings.reconnect_initial),
                                        whole_seconds(settings.reconnect_max), true),
          "reconnect delay");
    check(mosquitto_will_set(handle_, settings.availability_topic.c_str(), sizeof kOffline - 1,
                             kOffline, 1, true),
          "Last Will on " + settings.availability_topic);
    if (!settings.username.empty()) {
      // The error names the variables only: libmosquitto never echoes the values.
      check(mosquitto_username_pw_set(
                handle_, settings.username.c_str(),
                settings.password.empty() ? nullptr : settings.password.value.c_str()),
            "credentials from " + settings.username_env + "/" + settings.password_env);
    }
    if (settings.tls.enabled) {
      const TlsSettings& tls = settings.tls;
      check(mosquitto_tls_set(handle_, tls.ca_file.empty() ? nullptr : tls.ca_file.c_str(),
                              tls.ca_file.empty() ? kSystemCaDirectory : nullptr,
                              tls.cert_file.empty() ? nullptr : tls.cert_file.c_str(),
                              tls.key_file.empty() ? nullptr : tls.key_file.c_str(), nullptr),
            "TLS files");
      check(mosquitto_tls_insecure_set(handle_, tls.insecure), "tls.insecure");
    }
  } catch (...) {
    mosquitto_destroy(handle_);
    throw;
  }
}

MosquittoClient::~MosquittoClient() {
  shut_down();
  mosquitto_destroy(handle_);
}

int MosquittoClient::connect_async() {
  return mosquitto_connect_async(handle_, host_.c_str(), port_, keepalive_seconds_);
}

void MosquittoClient::start_loop() {
  if (loop_started_) return;
  check(mosquitto_loop_start(handle_), "MQTT network thread");
  loop_started_ = true;
}

MosquittoClient::Sent MosquittoClient::publish(const OutgoingMessage& message) {
  Sent sent;
  sent.code = mosquitto_publish(
      handle_, &sent.mid, message.topic.c_str(), static_cast<int>(message.payload.size()),
      message.payload.empty() ? nullptr : message.payload.data(), message.qos, message.retain);
  return sent;
}

int MosquittoClient::subscribe(const std::string& filter, int qos) {
  return mosquitto_subscribe(handle_, nullptr, filter.c_str(), qos);
}

void MosquittoClient::shut_down() {
  mosquitto_disconnect(handle_);
  if (loop_started_) {
    mosquitto_loop_stop(handle_, false);
    loop_started_ = false;
  }
}

std::string MosquittoClient::error_text(int code) { return mosquitto_strerror(code); }

std::string MosquittoClient::connack_text(int code) { return mosquitto_connack_string(code); }

}  // namespace seer::mqtt
