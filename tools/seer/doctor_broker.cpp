// `seer doctor`: every mqtt instance of the configuration: the broker reached and the
// account accepted, with a real MQTT connect (libmosquitto) as the plugin makes it.
#include <mosquitto.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "doctor_checks.hpp"

namespace seer::cli::doctor {
namespace {

constexpr auto kConnectTimeout = std::chrono::seconds(5);

struct Broker {
  std::string host;
  int port = 1883;
  std::string username_env;
  std::string password_env;
  bool tls = false;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};

Broker broker_of(const ConfigNode& section) {
  Broker broker;
  broker.host = section["host"].string_or("127.0.0.1");
  broker.port = static_cast<int>(section["port"].int_or(1883));
  broker.username_env = section["username_env"].string_or("");
  broker.password_env = section["password_env"].string_or("");
  const ConfigNode tls = section["tls"];
  broker.tls = tls.defined() && tls["enabled"].bool_or(true);
  broker.ca_file = tls["ca_file"].string_or("");
  broker.cert_file = tls["cert_file"].string_or("");
  broker.key_file = tls["key_file"].string_or("");
  return broker;
}

// CONNACK's return code, or nullopt when none came within the timeout.
struct ConnectOutcome {
  std::optional<int> connack;
  std::string error;  // set when the connection could not even be attempted
};

ConnectOutcome connect_once(const Broker& broker, const char* username, const char* password) {
  mosquitto_lib_init();
  ConnectOutcome outcome;
  std::unique_ptr<mosquitto, decltype(&mosquitto_destroy)> client(
      mosquitto_new(nullptr, true, &outcome), &mosquitto_destroy);
  if (!client) return {std::nullopt, "cannot create an MQTT client"};
  mosquitto_connect_callback_set(client.get(), [](mosquitto*, void* user, int code) {
    static_cast<ConnectOutcome*>(user)->connack = code;
  });
  if (username) mosquitto_username_pw_set(client.get(), username, password);
  if (broker.tls) {
    const int tls =
        mosquitto_tls_set(client.get(), broker.ca_file.empty() ? nullptr : broker.ca_file.c_str(),
                          broker.ca_file.empty() ? "/etc/ssl/certs" : nullptr,
                          broker.cert_file.empty() ? nullptr : broker.cert_file.c_str(),
                          broker.key_file.empty() ? nullptr : broker.key_file.c_str(), nullptr);
    if (tls != MOSQ_ERR_SUCCESS) return {std::nullopt, mosquitto_strerror(tls)};
  }
  const int connected = mosquitto_connect(client.get(), broker.host.c_str(), broker.port, 10);
  if (connected != MOSQ_ERR_SUCCESS) {
    return {std::nullopt,
            connected == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(connected)};
  }
  const auto deadline = std::chrono::steady_clock::now() + kConnectTimeout;
  while (!outcome.connack && std::chrono::steady_clock::now() < deadline) {
    const int looped = mosquitto_loop(client.get(), 100, 1);
    if (looped != MOSQ_ERR_SUCCESS && !outcome.connack) {
      return {std::nullopt,
              looped == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(looped)};
    }
  }
  if (outcome.connack && *outcome.connack == 0) mosquitto_disconnect(client.get());
  return outcome;
}

Finding check_broker(const std::string& instance, const Broker& broker) {
  const std::string address = broker.host + ":" + std::to_string(broker.port);
  const std::string subject = "broker '" + instance + "' " + address;
  const char* username = nullptr;
  const char* password = nullptr;
  if (!broker.username_env.empty()) {
    username = std::getenv(broker.username_env.c_str());
    if (!username) {
      return {Status::fail, subject, broker.username_env + " (username_env) is not set",
              "set it in the environment (the service: /etc/default/seer)"};
    }
  }
  if (!broker.password_env.empty()) {
    password = std::getenv(broker.password_env.c_str());
    if (!password) {
      return {Status::fail, subject, broker.password_env + " (password_env) is not set",
              "set it in the environment (the service: /etc/default/seer)"};
    }
  }
  const ConnectOutcome outcome = connect_once(broker, username, password);
  if (!outcome.error.empty() || !outcome.connack) {
    return {Status::fail, subject,
            "cannot reach the broker: " +
                (outcome.error.empty() ? std::string("no answer within 5 s") : outcome.error),
            "start it (`systemctl status mosquitto`), check host and port in the mqtt section, "
            "and that a firewall lets " +
                address + " through"};
  }
  switch (*outcome.connack) {
    case 0:
      return {Status::ok,
              subject,
              std::string("reachable, connect accepted") +
                  (username ? " as '" + std::string(username) + "'" : " (anonymous)") +
                  (broker.tls ? " over TLS" : ""),
              {}};
    case 4:
    case 5:
      return {Status::fail, subject,
              std::string("the broker refuses the account: ") +
                  mosquitto_connack_string(*outcome.connack),
              username ? "check the user name and password in " + broker.username_env + " and " +
                             broker.password_env + " against the broker's password file"
                       : "the broker wants an account: set username_env and password_env "
                         "(plugins/mqtt/README.md)"};
    default:
      return {Status::fail, subject,
              std::string("the broker refuses the connection: ") +
                  mosquitto_connack_string(*outcome.connack),
              "see the broker's log"};
  }
}

}  // namespace

Findings check_brokers(const RuntimeConfig* config) {
  Findings findings;
  if (config) {
    for (const auto& instance : config->plugins) {
      if (instance.plugin != "mqtt" || !instance.enabled) continue;
      findings.push_back(check_broker(instance.instance, broker_of(instance.section)));
    }
  }
  if (findings.empty()) {
    findings.push_back({Status::ok,
                        "broker",
                        config ? "the configuration has no mqtt section"
                               : "none to check (give --config with an mqtt section)",
                        {}});
  }
  return findings;
}

}  // namespace seer::cli::doctor
