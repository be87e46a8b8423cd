#include "mqtt_settings.hpp"

#include "config_json.hpp"
#include "home_assistant_discovery.hpp"

#include <seer/topic.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace seer::mqtt {
namespace {

bool is_id_character(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool is_id(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_id_character);
}

int read_qos(const ConfigNode& node, int fallback) {
  const std::int64_t qos = node.int_or(fallback);
  if (qos < 0 || qos > 2) throw node.error("qos must be 0, 1 or 2");
  return static_cast<int>(qos);
}

// The value of the environment variable named at `node`; the message names only the variable.
std::string read_environment(const ConfigNode& node, std::string_view key) {
  const std::string name = node.as_string();
  if (name.empty()) throw node.error(std::string(key) + " must name an environment variable");
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    throw node.error("environment variable " + name + " (named by " + std::string(key) +
                     ") is not set");
  }
  return value;
}

std::string existing_file(const ConfigNode& node) {
  const std::string path = node.as_string();
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw node.error("file '" + path + "' does not exist or is not a regular file");
  }
  return path;
}

TlsSettings read_tls(const ConfigNode& node) {
  TlsSettings tls;
  if (!node.defined() || node.is_null()) return tls;
  if (!node.is_map()) throw node.error("tls must be a map");
  tls.enabled = node["enabled"].bool_or(true);
  if (node["ca_file"].defined()) tls.ca_file = existing_file(node["ca_file"]);
  if (node["cert_file"].defined()) tls.cert_file = existing_file(node["cert_file"]);
  if (node["key_file"].defined()) tls.key_file = existing_file(node["key_file"]);
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    throw node.error("cert_file and key_file go together: give both or neither");
  }
  tls.insecure = node["insecure"].bool_or(false);
  return tls;
}

std::vector<SubscriptionSettings> read_subscriptions(const ConfigNode& node, int default_qos) {
  std::vector<SubscriptionSettings> subscriptions;
  if (!node.defined() || node.is_null()) return subscriptions;
  if (!node.is_sequence()) throw node.error("subscriptions must be a list");
  for (const ConfigNode& item : node.items()) {
    SubscriptionSettings subscription;
    const ConfigNode topic = item.is_map() ? item["topic"] : item;
    if (!topic.defined()) throw item.error("subscription has no 'topic'");
    subscription.filter = topic.as_string();
    if (const std::string problem = check_topic_filter(subscription.filter); !problem.empty()) {
      throw topic.error("invalid topic filter '" + subscription.filter + "': " + problem);
    }
    subscription.qos = item.is_map() ? read_qos(item["qos"], default_qos) : default_qos;
    subscriptions.push_back(std::move(subscription));
  }
  return subscriptions;
}

DiscoverySettings read_discovery(const ConfigNode& node, const std::string& node_name) {
  DiscoverySettings discovery;
  discovery.node_id = node_name;
  if (!node.defined() || node.is_null()) return discovery;
  if (!node.is_map()) throw node.error("discovery must be a map");
  discovery.prefix = node["prefix"].string_or(discovery.prefix);
  if (!is_valid_topic(discovery.prefix)) {
    throw node["prefix"].error("prefix '" + discovery.prefix + "' is not a valid topic");
  }
  discovery.node_id = node["node_id"].string_or(discovery.node_id);
  if (!is_id(discovery.node_id)) {
    throw node["node_id"].error("node_id '" + discovery.node_id +
                                "' may only hold letters, digits, '_' and '-'");
  }
  const ConfigNode device = node["device"];
  if (device.defined() && !device.is_null()) {
    if (!device.is_map()) throw device.error("device must be a map");
    discovery.device = config_to_json(device).as_object();
  }
  const ConfigNode entities = node["entities"];
  if (entities.defined() && !entities.is_null()) {
    if (!entities.is_sequence()) throw entities.error("entities must be a list");
    for (const ConfigNode& item : entities.items()) {
      if (!item.is_map()) throw item.error("an entity is a map with 'component' and 'object_id'");
      boost::json::value entity = config_to_json(item);
      try {
        discovery_entity_from_json(entity);
      } catch (const std::invalid_argument& invalid) {
        throw item.error(invalid.what());
      }
      discovery.entities.push_back(std::move(entity.as_object()));
    }
  }
  return discovery;
}

Duration read_positive_duration(const ConfigNode& node, Duration fallback) {
  const Duration value = node.duration_or(fallback);
  if (value.count() <= 0) throw node.error("must be greater than zero");
  return value;
}

}  // namespace

std::string default_node_name() {
  std::array<char, 256> host{};
  std::string name = gethostname(host.data(), host.size() - 1) == 0 ? host.data() : "";
  for (char& c : name) {
    if (!is_id_character(c)) c = '_';
  }
  return name.empty() ? "seer" : name;
}

std::string broker_address(const MqttSettings& settings) {
  return (settings.tls.enabled ? "mqtts://" : "mqtt://") + settings.host + ":" +
         std::to_string(settings.port);
}

ConfigSchema mqtt_config_schema() {
  ConfigSchema tls;
  tls.optional("enabled", ConfigType::boolean, "use TLS (true when the tls section is present)",
               "true");
  tls.optional("ca_file", ConfigType::string, "PEM CA bundle that signs the broker's certificate",
               "the system CA directory");
  tls.optional("cert_file", ConfigType::string, "PEM client certificate (with key_file)");
  tls.optional("key_file", ConfigType::string, "PEM client private key (with cert_file)");
  tls.optional("insecure", ConfigType::boolean, "skip the broker host name check (testing only)",
               "false");

  ConfigSchema subscription;
  subscription.required("topic", ConfigType::string, "MQTT topic filter (+ and # allowed)");
  subscription.optional("qos", ConfigType::integer, "0, 1 or 2", "the qos key");

  ConfigSchema reconnect;
  reconnect.optional("initial", ConfigType::duration, "first retry delay (whole seconds)", "1s");
  reconnect.optional("max", ConfigType::duration, "longest retry delay (doubling up to it)", "60s");

  ConfigSchema discovery;
  discovery.optional("prefix", ConfigType::string, "HA discovery prefix", "homeassistant");
  discovery.optional("node_id", ConfigType::string, "HA node id", "the node name");
  discovery.optional("device", ConfigType::map, "HA device block fields (name, model, ...)");
  discovery.list_of("entities", ConfigType::map,
                    "entities to announce: component, object_id and HA config keys");

  ConfigSchema schema;
  schema.optional("host", ConfigType::string, "broker host", "127.0.0.1");
  schema.optional("port", ConfigType::integer, "broker port (8883 is usual with TLS)", "1883");
  schema.optional("node_name", ConfigType::string,
                  "this seer's name in client id, availability topic and HA node id", "host name");
  schema.optional("client_id", ConfigType::string, "MQTT client id", "seer-<node_name>");
  schema.optional("keepalive", ConfigType::duration, "MQTT keepalive", "60s");
  schema.optional("clean_session", ConfigType::boolean, "start without the broker's session",
                  "false");
  schema.optional("username_env", ConfigType::string, "environment variable holding the user name");
  schema.optional("password_env", ConfigType::string, "environment variable holding the password");
  schema.object("tls", std::move(tls), "TLS to the broker; absent: plain TCP");
  schema.optional("qos", ConfigType::integer, "QoS of mqtt/out events that name none", "1");
  schema.optional("availability_topic", ConfigType::string,
                  "retained online/offline (Last Will) topic", "seer/<node_name>/status");
  schema.object("reconnect", std::move(reconnect), "reconnect backoff");
  schema.optional("connect_timeout", ConfigType::duration,
                  "health turns degraded when no connection is up after this long", "10s");
  schema.optional("offline_queue", ConfigType::integer,
                  "QoS>=1 messages kept while the broker is away (oldest dropped)", "1000");
  schema.list_of("subscriptions", std::move(subscription),
                 "topic filters whose messages become mqtt/in/<topic> events");
  schema.object("discovery", std::move(discovery), "Home Assistant MQTT discovery");
  return schema;
}

MqttSettings read_mqtt_settings(const ConfigNode& config) {
  MqttSettings settings;
  if (config["password"].defined() || config["username"].defined()) {
    const ConfigNode node = config["password"].defined() ? config["password"] : config["username"];
    throw node.error(
        "credentials are not written in the configuration: put them in environment variables "
        "and name those with username_env / password_env");
  }
  settings.host = config["host"].string_or(settings.host);
  if (settings.host.empty()) throw config["host"].error("host must not be empty");
  const std::int64_t port = config["port"].int_or(settings.port);
  if (port < 1 || port > 65535) throw config["port"].error("port must be within 1-65535");
  settings.port = static_cast<int>(port);

  settings.node_name = config["node_name"].string_or(default_node_name());
  if (!is_id(settings.node_name)) {
    throw config["node_name"].error("node_name '" + settings.node_name +
                                    "' may only hold letters, digits, '_' and '-'");
  }
  settings.client_id = config["client_id"].string_or("seer-" + settings.node_name);
  if (settings.client_id.empty()) throw config["client_id"].error("client_id must not be empty");

  settings.keepalive = config["keepalive"].duration_or(settings.keepalive);
  if (settings.keepalive < std::chrono::seconds(5) || settings.keepalive > std::chrono::hours(18)) {
    throw config["keepalive"].error("keepalive must be within 5s-18h");
  }
  settings.clean_session = config["clean_session"].bool_or(settings.clean_session);

  if (config["username_env"].defined()) {
    settings.username_env = config["username_env"].as_string();
    settings.username = read_environment(config["username_env"], "username_env");
  }
  if (config["password_env"].defined()) {
    if (settings.username_env.empty()) {
      throw config["password_env"].error("password_env needs username_env too");
    }
    settings.password_env = config["password_env"].as_string();
    settings.password.value = read_environment(config["password_env"], "password_env");
  }
  settings.tls = read_tls(config["tls"]);
  settings.qos = read_qos(config["qos"], settings.qos);

  settings.availability_topic =
      config["availability_topic"].string_or("seer/" + settings.node_name + "/status");
  if (!is_valid_topic(settings.availability_topic)) {
    throw config["availability_topic"].error("'" + settings.availability_topic +
                                             "' is not a valid topic");
  }

  const ConfigNode reconnect = config["reconnect"];
  settings.reconnect_initial = read_positive_duration(reconnect["initial"], Duration(1000));
  settings.reconnect_max = read_positive_duration(reconnect["max"], Duration(60'000));
  if (settings.reconnect_max < settings.reconnect_initial) {
    throw reconnect["max"].error("max must not be shorter than initial");
  }
  settings.connect_timeout =
      read_positive_duration(config["connect_timeout"], settings.connect_timeout);

  const std::int64_t queue = config["offline_queue"].int_or(1000);
  if (queue < 0 || queue > 1'000'000) {
    throw config["offline_queue"].error("offline_queue must be within 0-1000000");
  }
  settings.offline_queue = static_cast<std::size_t>(queue);

  settings.subscriptions = read_subscriptions(config["subscriptions"], settings.qos);
  settings.discovery = read_discovery(config["discovery"], settings.node_name);
  return settings;
}

}  // namespace seer::mqtt
