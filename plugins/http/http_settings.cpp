#include "http_settings.hpp"

#include "cors_policy.hpp"
#include "tls_context.hpp"

#include <boost/asio/ip/address.hpp>

#include <cstdlib>

namespace seer::http {
namespace {

Duration read_positive_duration(const ConfigNode& node, Duration fallback) {
  const Duration value = node.duration_or(fallback);
  if (value.count() <= 0) throw node.error("must be greater than zero");
  return value;
}

// The value of the variable `node` names (token_env, tls_private_key_password_env).
Secret read_secret(const ConfigNode& node, std::string_view key) {
  const std::string name = node.as_string();
  if (name.empty()) throw node.error(std::string(key) + " must name an environment variable");
  const char* value = std::getenv(name.c_str());
  if (value == nullptr || *value == '\0') {
    throw node.error("environment variable " + name + " (named by " + std::string(key) +
                     ") is not set");
  }
  return Secret{value};
}

// Both files or neither; the extra keys only with them.
std::shared_ptr<boost::asio::ssl::context> read_tls(const ConfigNode& config) {
  const ConfigNode certificate = config["tls_certificate"];
  const ConfigNode private_key = config["tls_private_key"];
  if (!certificate.defined() && !private_key.defined()) {
    for (const char* key : {"tls_private_key_password_env", "tls_min_version"}) {
      if (config[key].defined()) {
        throw config[key].error(std::string(key) +
                                " needs TLS: set tls_certificate and tls_private_key");
      }
    }
    return nullptr;
  }
  if (!private_key.defined()) {
    throw certificate.error(
        "tls_certificate needs tls_private_key too (or neither, for plain HTTP)");
  }
  if (!certificate.defined()) {
    throw private_key.error(
        "tls_private_key needs tls_certificate too (or neither, for plain HTTP)");
  }
  TlsFiles files{.certificate = certificate.as_string(), .private_key = private_key.as_string()};
  if (const ConfigNode password = config["tls_private_key_password_env"]; password.defined()) {
    files.password = read_secret(password, "tls_private_key_password_env").value;
  }
  if (const ConfigNode version = config["tls_min_version"]; version.defined()) {
    const std::string text = version.as_string();
    if (text != "1.2" && text != "1.3") throw version.error("must be one of: 1.2, 1.3");
    if (text == "1.3") files.min_version = TlsVersion::tls1_3;
  }
  try {
    return load_tls_context(files);
  } catch (const TlsFileError& error) {
    throw(error.file() == TlsFileError::File::certificate ? certificate : private_key)
        .error(error.what());
  }
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(host, error);
  return !error && address.is_loopback();
}

ConfigSchema http_config_schema() {
  ConfigSchema schema;
  schema.optional("host", ConfigType::string, "address to listen on", "127.0.0.1");
  schema.add({.key = "port",
              .type = ConfigType::integer,
              .description = "TCP port; 0 picks a free one",
              .default_text = "8095",
              .minimum = 0,
              .maximum = 65535});
  schema.optional("tls_certificate", ConfigType::string,
                  "PEM file with the server's certificate (then any intermediates): serves "
                  "HTTPS and wss:// instead of plain HTTP; needs tls_private_key");
  schema.optional("tls_private_key", ConfigType::string,
                  "PEM file with the certificate's private key");
  schema.optional("tls_private_key_password_env", ConfigType::string,
                  "environment variable holding the password of an encrypted private key");
  schema.choice("tls_min_version", {"1.2", "1.3"}, "oldest TLS version accepted", "1.2");
  schema.optional("token_env", ConfigType::string,
                  "environment variable holding the bearer token clients must send");
  schema.add({.key = "max_body",
              .type = ConfigType::integer,
              .description = "largest request body in bytes",
              .default_text = "67108864",
              .minimum = 1});
  schema.add({.key = "workers",
              .type = ConfigType::integer,
              .description = "generations running at once",
              .default_text = "1",
              .minimum = 1,
              .maximum = 256});
  schema.add({.key = "max_queue",
              .type = ConfigType::integer,
              .description = "generations waiting for a worker before 503",
              .default_text = "512",
              .minimum = 0});
  schema.optional("request_timeout", ConfigType::duration,
                  "longest time to read a request body or write one piece of a reply", "60s");
  schema.optional("idle_timeout", ConfigType::duration,
                  "how long a kept-alive connection may wait for its next request", "30s");
  schema.add({.key = "ws_max_message",
              .type = ConfigType::integer,
              .description = "largest WebSocket message from a client, in bytes",
              .default_text = "16777216",
              .minimum = 1024});
  schema.add({.key = "ws_send_queue",
              .type = ConfigType::integer,
              .description = "bytes queued for one WebSocket client before it is dropped",
              .default_text = "4194304",
              .minimum = 1024});
  schema.list_of("cors_origins", ConfigType::string,
                 "browser origins allowed to call the server (\"*\" for any); none by default");
  return schema;
}

HttpSettings read_http_settings(const ConfigNode& config) {
  HttpSettings settings;
  settings.host = config["host"].string_or(settings.host);
  if (settings.host != "localhost") {
    boost::system::error_code error;
    boost::asio::ip::make_address(settings.host, error);
    if (error) throw config["host"].error("'" + settings.host + "' is not an IP address");
  }
  settings.port = static_cast<std::uint16_t>(config["port"].int_or(settings.port));
  settings.max_body = static_cast<std::size_t>(
      config["max_body"].int_or(static_cast<std::int64_t>(settings.max_body)));
  settings.workers = static_cast<int>(config["workers"].int_or(settings.workers));
  settings.max_queue = static_cast<int>(config["max_queue"].int_or(settings.max_queue));
  settings.request_timeout =
      read_positive_duration(config["request_timeout"], settings.request_timeout);
  settings.idle_timeout = read_positive_duration(config["idle_timeout"], settings.idle_timeout);
  settings.ws_max_message = static_cast<std::size_t>(
      config["ws_max_message"].int_or(static_cast<std::int64_t>(settings.ws_max_message)));
  settings.ws_send_queue = static_cast<std::size_t>(
      config["ws_send_queue"].int_or(static_cast<std::int64_t>(settings.ws_send_queue)));
  if (const ConfigNode origins = config["cors_origins"]; origins.defined()) {
    for (const ConfigNode& origin : origins.items()) {
      const std::string text = origin.as_string();
      if (!is_cors_origin(text)) {
        throw origin.error("'" + text + "' is not an origin like https://example.com:8080 or *");
      }
      settings.cors_origins.push_back(text);
    }
  }
  if (config["token_env"].defined()) {
    settings.token_env = config["token_env"].as_string();
    settings.token = read_secret(config["token_env"], "token_env");
  }
  settings.tls = read_tls(config);
  if (settings.tls) settings.tls_certificate = config["tls_certificate"].as_string();
  // TLS keeps the token from eavesdroppers; it does not replace it.
  if (settings.token.empty() && !is_loopback_host(settings.host)) {
    throw config["host"].error("listening on " + settings.host +
                               " (not loopback) needs a bearer token: set token_env to the name "
                               "of an environment variable holding one");
  }
  return settings;
}

}  // namespace seer::http
