#pragma once
// The ollama plugin's configuration: where the server is, which model, the options and
// keep_alive sent with every request, the timeouts, and the API key (by variable name).

#include <seer/config.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace seer::ollama {

// A value read from the environment that must never be logged. Holds no operator<<.
struct Secret {
  std::string value;
  bool empty() const { return value.empty(); }
};

// Where the server listens, split the way the HTTP client needs it.
struct ServerAddress {
  std::string url;          // as configured, without a trailing '/': for messages
  std::string host;         // for the connection: a name or an address without brackets
  std::string port;         // "11434"
  std::string authority;    // the Host header: "host:port" as written
  std::string path_prefix;  // "" or "/ollama" when the server sits behind a proxy path
};

struct OllamaSettings {
  ServerAddress server;
  std::string model;
  std::string service_name;            // empty: the plugin instance's name
  boost::json::object options;         // Ollama `options` under every request's own
  std::optional<Duration> keep_alive;  // negative = for ever; absent = the server's default
  bool think = false;
  Duration connect_timeout = std::chrono::seconds(5);
  Duration load_timeout = std::chrono::minutes(5);
  Duration read_timeout = std::chrono::seconds(60);
  std::string api_key_env;  // the variable's name, never its value
  Secret api_key;
};

ConfigSchema ollama_config_schema();
// Reads an ollama section and the environment variable it names; throws ConfigError located
// at the offending node. Messages name the API key's variable, never its value.
OllamaSettings read_ollama_settings(const ConfigNode& config);
// "http://host:port[/prefix]" → its parts; throws std::invalid_argument saying what is wrong.
ServerAddress parse_server_url(const std::string& url);

}  // namespace seer::ollama
