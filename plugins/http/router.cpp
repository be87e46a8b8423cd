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
  prefixes_[std::move(prefix)].push_back({method, std::move(handler), access});
}

namespace {

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

const Router::Routes::value_type* Router::find(std::string_view path) const {
  if (const auto exact = routes_.find(path); exact != routes_.end()) return &*exact;
  for (const auto& entry : prefixes_) {
    if (path.starts_with(entry.first)) return &entry;
  }
  return nullptr;
}

std::string Router::route_of(std::string_view target) const {
  const auto* found = find(path_of(target));
  return found == nullptr ? std::string() : found->first;
}

void Router::handle(const std::shared_ptr<HttpExchange>& exchange) const {
  const HttpRequest& request = exchange->request();
  const auto* found = find(path_of(request.target()));
  if (found == nullptr) {
    exchange->respond_error(HttpStatus::not_found, "404 page not found");
    return;
  }
  // HEAD is answered like GET.
  const beast_http::verb method =
      request.method() == beast_http::verb::head ? beast_http::verb::get : request.method();
  const Route* route = nullptr;
  for (const Route& candidate : found->second) {
    if (candidate.method == method) route = &candidate;
  }
  if (route == nullptr) {
    exchange->respond_error(HttpStatus::method_not_allowed, "405 method not allowed");
    return;
  }
  if (route->access == Access::token && !token_.empty() &&
      !bearer_token_matches(request[beast_http::field::authorization], token_.value)) {
    exchange->respond_error(HttpStatus::unauthorized, "unauthorized");
    return;
  }
  try {
    route->handler(exchange);
  } catch (const std::exception& error) {
    exchange->respond_error(HttpStatus::internal_server_error, error.what());
  }
}

}  // namespace seer::http
