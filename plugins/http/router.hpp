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

  // Answers 401, 404 or 405 itself, and 500 when a handler throws before replying.
  void handle(const std::shared_ptr<HttpExchange>& exchange) const;

 private:
  struct Route {
    boost::beast::http::verb method;
    Handler handler;
    Access access;
  };
  Secret token_;
  std::map<std::string, std::vector<Route>, std::less<>> routes_;  // by path
};

}  // namespace seer::http
