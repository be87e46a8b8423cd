#include "router.hpp"

#include "bearer_token.hpp"

#include <boost/beast/http/field.hpp>

#include <exception>

namespace seer::http {

namespace beast_http = boost::beast::http;

void Router::add(beast_http::verb method, std::string path, Handler handler, Access access) {
  routes_[std::move(path)].push_back({method, std::move(handler), access});
}

void Router::handle(const std::shared_ptr<HttpExchange>& exchange) const {
  const HttpRequest& request = exchange->request();
  std::string_view path = request.target();
  path = path.substr(0, path.find('?'));

  const auto found = routes_.find(path);
  if (found == routes_.end()) {
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
