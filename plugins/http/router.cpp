#include "router.hpp"

#include "bearer_token.hpp"

#include <boost/beast/http/field.hpp>

#include <exception>

namespace seer::http {

namespace beast_http = boost::beast::http;

void Router::add(beast_http::verb method, std::string path, Handler handler, Access access) {
  routes_[std::move(path)].push_back({method, std::move(handler), access});
}

void Router::add_prefix(beast_http::verb method, std::string prefix, Handler handler,
                        Access access) {
  prefix_routes_[std::move(prefix)].push_back({method, std::move(handler), access});
}

void Router::set_error_writer(std::string prefix, ErrorWriter writer) {
  error_writers_.emplace_back(std::move(prefix), std::move(writer));
}

const Router::Routes::value_type* Router::find(std::string_view path) const {
  if (const auto exact = routes_.find(path); exact != routes_.end()) return &*exact;
  for (const auto& entry : prefix_routes_) {
    if (path.size() > entry.first.size() && path.starts_with(entry.first)) return &entry;
  }
  return nullptr;
}

std::string Router::route_of(std::string_view target) const {
  const auto* found = find(target.substr(0, target.find('?')));
  return found == nullptr ? std::string() : found->first;
}

void Router::fail(HttpExchange& exchange, HttpStatus status, std::string_view message) const {
  std::string_view path = exchange.request().target();
  path = path.substr(0, path.find('?'));
  for (const auto& [prefix, writer] : error_writers_) {
    if (path.starts_with(prefix)) {
      writer(exchange, status, message);
      return;
    }
  }
  exchange.respond_error(status, message);
}

void Router::handle(const std::shared_ptr<HttpExchange>& exchange) const {
  // A preflight is answered for any path, without the token: browsers send none with it.
  if (cors_.apply(*exchange)) return;
  const HttpRequest& request = exchange->request();
  std::string_view path = request.target();
  path = path.substr(0, path.find('?'));

  const auto* found = find(path);
  if (found == nullptr) return fail(*exchange, HttpStatus::not_found, "404 page not found");
  const std::vector<Route>* routes = &found->second;
  // HEAD is answered like GET.
  const beast_http::verb method =
      request.method() == beast_http::verb::head ? beast_http::verb::get : request.method();
  const Route* route = nullptr;
  for (const Route& candidate : *routes) {
    if (candidate.method == method) route = &candidate;
  }
  if (route == nullptr) {
    return fail(*exchange, HttpStatus::method_not_allowed, "405 method not allowed");
  }
  if (route->access == Access::token && !token_.empty() &&
      !bearer_token_matches(request[beast_http::field::authorization], token_.value)) {
    return fail(*exchange, HttpStatus::unauthorized, "unauthorized");
  }
  try {
    route->handler(exchange);
  } catch (const std::exception& error) {
    fail(*exchange, HttpStatus::internal_server_error, error.what());
  }
}

}  // namespace seer::http
