#pragma once
// The mqtt plugin's configuration: broker address, identity, credentials (by environment
// variable name), TLS, availability, reconnect backoff, subscriptions and HA discovery.

#include <seer/config.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace seer::mqtt {

// A value read from the environment that must never be logged. Holds no operator<<.
struct Secret {
  std::string value;
  bool empty() const { return value.empty(); }
};

struct TlsSettings {
  bool enabled = false;
  std::string ca_file;  // empty: the system's CA directory
  std::string cert_file;
  std::string key_file;
  bool insecure = false;  // skips the server host name check
};

struct SubscriptionSettings {
  std::string filter;
  int qos = 0;
};

struct DiscoverySettings {
  std::string prefix = "homeassistant";
  std::string node_id;         // default: the node name
  boost::json::object device;  // merged into every entity's device block
  std::vector<boost::json::object> entities;
};

struct MqttSettings {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string node_name;  // default: the host name, reduced to [a-zA-Z0-9_-]
  std::string client_id;  // default: "seer-<node_name>"
  Duration keepalive = std::chrono::seconds(60);
  bool clean_session = false;
  std::string username_env;  // names of environment variables, never the values
  std::string password_env;
  std::string username;  // read from username_env
  Secret password;       // read from password_env
  TlsSettings tls;
  int qos = 1;                     // for mqtt/out events that name none
  std::string availability_topic;  // default: "seer/<node_name>/status"
  Duration reconnect_initial = std::chrono::seconds(1);
  Duration reconnect_max = std::chrono::seconds(60);
  Duration connect_timeout = std::chrono::seconds(10);
  std::size_t offline_queue = 1000;
  std::vector<SubscriptionSettings> subscriptions;
  DiscoverySettings discovery;
};

ConfigSchema mqtt_config_schema();
// Reads an mqtt section, the environment variables it names included; throws ConfigError
// located at the offending node. Error messages name variables, never their values.
MqttSettings read_mqtt_settings(const ConfigNode& config);
// This machine's host name reduced to the characters MQTT ids and HA ids accept.
std::string default_node_name();
// "mqtt://127.0.0.1:1883" or "mqtts://broker:8883".
std::string broker_address(const MqttSettings& settings);

}  // namespace seer::mqtt
