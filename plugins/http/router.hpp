#pragma once
// Maps a request's method and path to its handler, after the bearer-token check. One router
// serves every API on the listener (Ollama's today; OpenAI's, WebSocket and metrics later).

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

enum class Access { open, token };  // open: answered without the bearer token

class Router {
 public:
  explicit Router(Secret token = {}) : token_(std::move(token)) {}

  // HEAD is served wherever GET is (the connection drops the body).
  void add(boost::beast::http::verb method, std::string path, Handler handler,
           Access access = Access::token);

  // Serves every path that starts with `prefix` (say "/console/") and has no route of its
  // own; the handler reads the rest from the target.
  void add_prefix(boost::beast::http::verb method, std::string prefix, Handler handler,
                  Access access = Access::token);

  // The route serving `target`: its path, or the prefix ("/console/"); empty for none. What
  // metrics label a request with, so paths a client makes up do not become labels.
  std::string route_of(std::string_view target) const;

  // Answers 401, 404 or 405 itself, and 500 when a handler throws before replying.
  void handle(const std::shared_ptr<HttpExchange>& exchange) const;

 private:
  struct Route {
    boost::beast::http::verb method;
    Handler handler;
    Access access;
  };
  using Routes = std::map<std::string, std::vector<Route>, std::less<>>;
  // The routes of the path or prefix serving `path`, or nullptr.
  const Routes::value_type* find(std::string_view path) const;

  Secret token_;
  Routes routes_;    // by path
  Routes prefixes_;  // by prefix
};

}  // namespace seer::http
