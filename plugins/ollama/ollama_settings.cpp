#include "ollama_settings.hpp"

#include <boost/url/parse.hpp>

#include <cstdlib>
#include <stdexcept>

namespace seer::ollama {
namespace {

// YAML scalars have no types of their own: a value reads as what it looks like.
boost::json::value scalar_to_json(const ConfigNode& node) {
  const std::string text = node.as_string();
  if (text == "true" || text == "false") return node.as_bool();
  try {
    return node.as_int();
  } catch (const ConfigError&) {
  }
  try {
    return node.as_double();
  } catch (const ConfigError&) {
  }
  return boost::json::string(text);
}

boost::json::value option_value_to_json(const ConfigNode& node) {
  if (node.is_sequence()) {
    boost::json::array items;
    for (const ConfigNode& item : node.items()) items.push_back(option_value_to_json(item));
    return items;
  }
  if (node.is_map()) {
    boost::json::object fields;
    for (const auto& [key, value] : node.entries()) fields[key] = option_value_to_json(value);
    return fields;
  }
  if (node.is_null()) return nullptr;
  return scalar_to_json(node);
}

Duration read_positive_duration(const ConfigNode& node, Duration fallback) {
  const Duration value = node.duration_or(fallback);
  if (value.count() <= 0) throw node.error("must be greater than zero");
  return value;
}

Secret read_api_key(const ConfigNode& node) {
  const std::string name = node.as_string();
  if (name.empty()) throw node.error("api_key_env must name an environment variable");
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) {
    throw node.error("environment variable " + name + " (named by api_key_env) is not set");
  }
  return Secret{value};
}

}  // namespace

ServerAddress parse_server_url(const std::string& url) {
  const auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) throw std::invalid_argument("'" + url + "' is not a URL like http://host:11434");
  const boost::urls::url_view& view = *parsed;
  if (view.scheme_id() == boost::urls::scheme::https) {
    throw std::invalid_argument(
        "https is not supported: reach the server over http (put a TLS proxy "
        "in front of it on a trusted network)");
  }
  if (view.scheme_id() != boost::urls::scheme::http) {
    throw std::invalid_argument("'" + url + "' must start with http://");
  }
  if (view.host().empty()) throw std::invalid_argument("'" + url + "' names no host");
  if (view.has_userinfo() || view.has_query() || view.has_fragment()) {
    throw std::invalid_argument("'" + url + "' may only hold http://host:port and a path");
  }
  ServerAddress address;
  address.host = view.host_name().empty() ? std::string(view.encoded_host_address())
                                          : std::string(view.host_name());
  address.port = view.has_port() ? std::string(view.port()) : "80";
  address.path_prefix = std::string(view.encoded_path());
  while (!address.path_prefix.empty() && address.path_prefix.back() == '/') {
    address.path_prefix.pop_back();
  }
  address.authority = std::string(view.encoded_host_and_port());
  address.url = "http://" + address.authority + address.path_prefix;
  return address;
}

ConfigSchema ollama_config_schema() {
  ConfigSchema schema;
  schema.optional("url", ConfigType::string, "the Ollama server (http only)",
                  "http://127.0.0.1:11434");
  schema.required("model", ConfigType::string, "the model's name on the server, e.g. llama3.1:8b");
  schema.optional("name", ConfigType::string, "the chat model's name in seer's registry",
                  "the instance name");
  schema.optional("options", ConfigType::map,
                  "Ollama options for every request (temperature, num_ctx, ...)");
  schema.optional("keep_alive", ConfigType::string,
                  "how long the server keeps the model loaded; -1 for ever", "the server's");
  schema.optional("think", ConfigType::boolean, "let thinking models think first", "false");
  schema.optional("connect_timeout", ConfigType::duration, "longest wait for the connection", "5s");
  schema.optional("load_timeout", ConfigType::duration,
                  "longest wait for the first reply chunk (the model may be loading)", "5m");
  schema.optional("read_timeout", ConfigType::duration, "longest gap between reply chunks", "60s");
  schema.optional("api_key_env", ConfigType::string,
                  "environment variable holding a bearer token for the server");
  return schema;
}

OllamaSettings read_ollama_settings(const ConfigNode& config) {
  OllamaSettings settings;
  try {
    settings.server = parse_server_url(config["url"].string_or("http://127.0.0.1:11434"));
  } catch (const std::invalid_argument& invalid) {
    throw config["url"].error(invalid.what());
  }
  settings.model = config["model"].as_string();
  if (settings.model.empty()) throw config["model"].error("model must not be empty");
  settings.service_name = config["name"].string_or("");

  const ConfigNode options = config["options"];
  if (options.defined() && !options.is_null()) {
    if (!options.is_map()) throw options.error("options must be a map of Ollama options");
    settings.options = option_value_to_json(options).as_object();
  }
  if (const ConfigNode keep_alive = config["keep_alive"]; keep_alive.defined()) {
    // Any negative value means for ever to Ollama; seer's durations have no sign.
    const bool forever = keep_alive.as_string().starts_with('-');
    settings.keep_alive = forever ? Duration(-1) : keep_alive.as_duration();
  }
  settings.think = config["think"].bool_or(settings.think);
  settings.connect_timeout =
      read_positive_duration(config["connect_timeout"], settings.connect_timeout);
  settings.load_timeout = read_positive_duration(config["load_timeout"], settings.load_timeout);
  settings.read_timeout = read_positive_duration(config["read_timeout"], settings.read_timeout);
  if (config["api_key_env"].defined()) {
    settings.api_key_env = config["api_key_env"].as_string();
    settings.api_key = read_api_key(config["api_key_env"]);
  }
  return settings;
}

}  // namespace seer::ollama
