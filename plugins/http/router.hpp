#pragma once
// Maps a request's method and path to its handler, after CORS and the bearer-token check. One
// router serves every API on the listener: Ollama's, OpenAI's, seer's own, the console, metrics.

#include "cors_policy.hpp"
#include "http_exchange.hpp"
#include "http_settings.hpp"

#include <boost/beast/http/verb.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seer::http {

using Handler = std::function<void(const std::shared_ptr<HttpExchange>&)>;
// Writes an error in one API's shape.
using ErrorWriter = std::function<void(HttpExchange&, HttpStatus, std::string_view message)>;

enum class Access { open, token };  // open: answered without the bearer token

class Router {
 public:
  explicit Router(Secret token = {}, CorsPolicy cors = {})
      : token_(std::move(token)), cors_(std::move(cors)) {}

  // HEAD is served wherever GET is (the connection drops the body).
  void add(boost::beast::http::verb method, std::string path, Handler handler,
           Access access = Access::token);
  // Every path under `prefix` (which ends with '/') that has no exact route of its own.
  void add_prefix(boost::beast::http::verb method, std::string prefix, Handler handler,
                  Access access = Access::token);
  // Errors the router answers itself for paths under `prefix` take this shape; elsewhere
  // Ollama's {"error": message}.
  void set_error_writer(std::string prefix, ErrorWriter writer);

  // The route serving `target`: its path, or the prefix ("/console/"); empty for none. What
  // metrics label a request with, so paths a client makes up do not become labels.
  std::string route_of(std::string_view target) const;

  // Answers CORS preflights, 401, 404 or 405 itself, and 500 when a handler throws before
  // replying.
  void handle(const std::shared_ptr<HttpExchange>& exchange) const;

 private:
  struct Route {
    boost::beast::http::verb method;
    Handler handler;
    Access access;
  };
  using Routes = std::map<std::string, std::vector<Route>, std::less<>>;
  // The routes of the path, or of the prefix serving it; nullptr for none.
  const Routes::value_type* find(std::string_view path) const;
  void fail(HttpExchange& exchange, HttpStatus status, std::string_view message) const;

  Secret token_;
  CorsPolicy cors_;
  Routes routes_;                                                   // by path
  Routes prefix_routes_;                                            // by prefix
  std::vector<std::pair<std::string, ErrorWriter>> error_writers_;  // by prefix
};

}  // namespace seer::http
