#pragma once
// A thin owner of one libmosquitto client: options from MqttSettings (credentials, TLS,
// Last Will, reconnect backoff), its own network thread (mosquitto_loop_start), and
// callbacks handed to a listener. The listener runs on that thread and must only enqueue.

#include "message_mapping.hpp"
#include "mqtt_settings.hpp"
#include "outgoing_queue.hpp"

#include <string>

struct mosquitto;

namespace seer::mqtt {

class MosquittoListener {
 public:
  // `code` is the CONNACK code: 0 accepted, otherwise why the broker refused.
  virtual void on_connect(int code) = 0;
  // `code` is 0 when we asked to disconnect, otherwise a libmosquitto error.
  virtual void on_disconnect(int code) = 0;
  virtual void on_message(IncomingMessage message) = 0;
  // The broker acknowledged message `mid` (QoS 1/2) or it was written out (QoS 0).
  virtual void on_publish(int mid) = 0;
  // An error libmosquitto logged (a failed TLS handshake says why only here).
  virtual void on_error_logged(std::string text) = 0;

 protected:
  virtual ~MosquittoListener() = default;
};

class MosquittoClient {
 public:
  // Throws std::runtime_error when libmosquitto rejects an option (unreadable TLS files).
  MosquittoClient(const MqttSettings& settings, MosquittoListener& listener);
  ~MosquittoClient();
  MosquittoClient(const MosquittoClient&) = delete;
  MosquittoClient& operator=(const MosquittoClient&) = delete;

  // Starts connecting (DNS is resolved here, synchronously); a libmosquitto error code.
  int connect_async();
  // Starts the network thread once; it reconnects by itself after a connection is lost.
  void start_loop();

  struct Sent {
    int code = 0;  // a libmosquitto error code, 0 on success
    int mid = 0;
  };
  Sent publish(const OutgoingMessage& message);
  int subscribe(const std::string& filter, int qos);

  // Disconnects (without the Last Will) and joins the network thread.
  void shut_down();

  static std::string error_text(int code);
  static std::string connack_text(int code);

 private:
  mosquitto* handle_ = nullptr;
  std::string host_;
  int port_ = 0;
  int keepalive_seconds_ = 60;
  bool loop_started_ = false;
};

}  // namespace seer::mqtt
