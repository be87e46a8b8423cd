#include "cors_policy.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>

namespace seer::http {

namespace beast_http = boost::beast::http;

namespace {

// What a browser may send across origins besides the simple headers. A preflight that names
// its headers gets them back: the allow-list is of origins, not of headers.
constexpr std::string_view kAllowedHeaders = "Authorization, Content-Type, X-Seer-Session";
constexpr std::string_view kAllowedMethods = "GET, HEAD, POST, OPTIONS";
constexpr std::string_view kPreflightMaxAge = "600";  // seconds a browser may cache a preflight

}  // namespace

bool is_cors_origin(std::string_view text) {
  if (text == "*") return true;
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (!text.starts_with(scheme)) continue;
    const std::string_view authority = text.substr(scheme.size());
    return !authority.empty() && authority.find_first_of("/?#* ") == std::string_view::npos;
  }
  return false;
}

bool CorsPolicy::allows(std::string_view origin) const {
  if (origin.empty()) return false;
  return std::ranges::any_of(origins_, [origin](const std::string& allowed) {
    return allowed == "*" || allowed == origin;
  });
}

bool CorsPolicy::apply(HttpExchange& exchange) const {
  const HttpRequest& request = exchange.request();
  const std::string_view origin = request[beast_http::field::origin];
  if (!allows(origin)) return false;
  // The origin itself rather than "*": it also works for requests with credentials.
  exchange.add_header("Access-Control-Allow-Origin", std::string(origin));
  exchange.add_header("Vary", "Origin");
  exchange.add_header("Access-Control-Expose-Headers", "X-Request-Id");
  if (request.method() != beast_http::verb::options) return false;
  const std::string_view requested = request[beast_http::field::access_control_request_headers];
  exchange.add_header("Access-Control-Allow-Methods", std::string(kAllowedMethods));
  exchange.add_header("Access-Control-Allow-Headers",
                      std::string(requested.empty() ? kAllowedHeaders : requested));
  exchange.add_header("Access-Control-Max-Age", std::string(kPreflightMaxAge));
  exchange.respond(HttpStatus::no_content, "", "");
  return true;
}

}  // namespace seer::http
