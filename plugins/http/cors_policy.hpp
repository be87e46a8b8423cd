#pragma once
// Which browser origins may call the server (the `cors_origins` allow-list), and the CORS
// header fields an allowed origin's requests and preflights get. An empty list sends none.

#include "http_exchange.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace seer::http {

class CorsPolicy {
 public:
  CorsPolicy() = default;
  // Origins as browsers send them ("https://example.com:8080"), or "*" for any.
  explicit CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {}

  bool allows(std::string_view origin) const;

  // For a request from an allowed `origin`: adds Access-Control-Allow-Origin and Vary, and
  // answers an OPTIONS preflight (204). True when the exchange was answered.
  bool apply(HttpExchange& exchange) const;

 private:
  std::vector<std::string> origins_;
};

// True for "*" and scheme://host[:port] without a path: what `cors_origins` accepts.
bool is_cors_origin(std::string_view text);

}  // namespace seer::http
