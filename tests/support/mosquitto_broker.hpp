#pragma once
// A real mosquitto broker for tests, on a free loopback port with a generated config in a
// temporary folder (persistence off), plus mosquitto_sub / mosquitto_pub run as independent
// clients. Link tests/cli/child_process.cpp and mosquitto_broker.cpp.

#include "../cli/child_process.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seer::test {

struct MosquittoBrokerOptions {
  // Non-empty: a password file with these (user, password) pairs and no anonymous access.
  std::vector<std::pair<std::string, std::string>> users;
  // Set: the listener speaks TLS with these PEM files.
  struct Tls {
    std::filesystem::path ca_file;
    std::filesystem::path cert_file;
    std::filesystem::path key_file;
  };
  std::optional<Tls> tls;
  // Log every packet (log_type all): "Received PUBLISH from <client> (d0, q1, ...)" lines let
  // a test see exactly what reached the broker, in order.
  bool log_packets = false;
};

class MosquittoBroker {
 public:
  static constexpr char kProgram[] = "/usr/sbin/mosquitto";

  // Starts the broker and waits until it accepts connections; throws std::runtime_error
  // with the broker's log when it does not.
  explicit MosquittoBroker(MosquittoBrokerOptions options = {});
  ~MosquittoBroker();
  MosquittoBroker(const MosquittoBroker&) = delete;
  MosquittoBroker& operator=(const MosquittoBroker&) = delete;

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  // Arguments that point mosquitto_sub / mosquitto_pub at this broker (TLS CA included).
  std::vector<std::string> client_arguments() const;
  const std::filesystem::path& directory() const { return directory_; }

  // SIGTERM and wait; the port stays reserved for start().
  void stop();
  // SIGKILL, as a crash or a power cut: no goodbye to the clients, nothing flushed.
  void kill();
  // Starts again on the same port (retained messages are gone: persistence is off).
  void start();
  void restart() {
    stop();
    start();
  }
  bool running() const { return process_ != nullptr; }
  // What the broker has written (all runs).
  std::string log() const;

 private:
  void write_files() const;  // the password file and the config
  void write_config() const;
  void wait_until_accepting();

  MosquittoBrokerOptions options_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  std::filesystem::path directory_;
  std::string previous_logs_;
  std::unique_ptr<ChildProcess> process_;
};

// One message as mosquitto_sub printed it.
struct ReceivedMessage {
  std::string topic;
  std::string payload;
  bool retained = false;
  int qos = 0;
};

// A mosquitto_sub running in the background (QoS 1, clean session), its messages parsed.
class MosquittoSubscriber {
 public:
  // Waits until the broker acknowledged the subscription; throws std::runtime_error with
  // the client's output when it did not within ten seconds.
  MosquittoSubscriber(const MosquittoBroker& broker, std::vector<std::string> filters,
                      std::vector<std::string> extra_arguments = {});

  std::vector<ReceivedMessage> messages() const;
  // True once at least `count` messages arrived.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The first message on `topic`, waiting for it.
  std::optional<ReceivedMessage> wait_for_topic(
      const std::string& topic, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::string output() const;

 private:
  std::unique_ptr<ChildProcess> process_;
};

// Publishes one message with mosquitto_pub; throws std::runtime_error when it fails.
void publish_with_mosquitto_pub(const MosquittoBroker& broker, const std::string& topic,
                                const std::string& payload, int qos = 1, bool retain = false,
                                std::vector<std::string> extra_arguments = {});

// The retained message on `topic` as a new subscriber sees it, or nullopt when none.
std::optional<ReceivedMessage> read_retained(const MosquittoBroker& broker,
                                             const std::string& topic,
                                             std::vector<std::string> extra_arguments = {});

}  // namespace seer::test
