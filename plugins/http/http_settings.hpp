#pragma once
// The http plugin's configuration: where to listen, TLS, the bearer token (by variable name),
// the limits on bodies, time and concurrent generations, and the origins CORS allows.

#include <seer/config.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace seer::http {

// A value read from the environment that must never be logged. Holds no operator<<.
struct Secret {
  std::string value;
  bool empty() const { return value.empty(); }
};

struct HttpSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8095;  // 0: an ephemeral port, logged and reported in health
  std::string token_env;      // the variable's name, never its value
  Secret token;               // empty: no authentication (loopback only)
  std::size_t max_body = 64u << 20;
  int workers = 1;      // generations running at once
  int max_queue = 512;  // generations waiting for a worker before 503
  Duration request_timeout = std::chrono::seconds(60);
  Duration idle_timeout = std::chrono::seconds(30);
  std::size_t ws_max_message = 16u << 20;  // largest WebSocket message from a client
  std::size_t ws_send_queue = 4u << 20;    // bytes queued for one WebSocket client before a drop
  std::vector<std::string> cors_origins;   // empty: no CORS header fields at all
  // From tls_certificate and tls_private_key (loaded and checked); null: plain HTTP.
  std::shared_ptr<boost::asio::ssl::context> tls;
  std::string tls_certificate;  // the path, for the start's log line
};

ConfigSchema http_config_schema();
// Reads an http section, the variables token_env and tls_private_key_password_env name, and
// the TLS files; throws ConfigError located at the offending key, also for a non-loopback host
// without a token and for a certificate without a key (or a key that is not the certificate's).
HttpSettings read_http_settings(const ConfigNode& config);
// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);

}  // namespace seer::http
