#include "console_routes.hpp"

#include "console_files.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

namespace seer::http {

namespace beast_http = boost::beast::http;

namespace {

constexpr std::string_view kConsolePrefix = "/console/";

void serve(const std::shared_ptr<HttpExchange>& exchange, const ConsoleFile& file) {
  // The files change only with the plugin: a browser revalidates them with their ETag.
  exchange->add_header("ETag", std::string(file.etag));
  exchange->add_header("Cache-Control", "no-cache");
  if (exchange->request()[beast_http::field::if_none_match] == file.etag) {
    exchange->respond(HttpStatus::not_modified, file.content_type, {});
    return;
  }
  exchange->respond(HttpStatus::ok, file.content_type, std::string(file.bytes));
}

}  // namespace

void add_console_routes(Router& router) {
  router.add(
      beast_http::verb::get, "/",
      [](const std::shared_ptr<HttpExchange>& exchange) {
        const std::string_view accept = exchange->request()[beast_http::field::accept];
        if (accept.find("text/html") != std::string_view::npos) {
          serve(exchange, *find_console_file("index.html"));
        } else {
          exchange->respond(HttpStatus::ok, "text/plain; charset=utf-8", "Ollama is running");
        }
      },
      Access::open);
  router.add_prefix(
      beast_http::verb::get, std::string(kConsolePrefix),
      [](const std::shared_ptr<HttpExchange>& exchange) {
        std::string_view name = exchange->request().target();
        name = name.substr(kConsolePrefix.size());
        name = name.substr(0, name.find('?'));
        // Only the embedded names exist: "../x" or "%2e%2e/x" simply match none of them.
        const ConsoleFile* file = find_console_file(name);
        if (file == nullptr) {
          exchange->respond_error(HttpStatus::not_found, "404 page not found");
          return;
        }
        serve(exchange, *file);
      },
      Access::open);
}

}  // namespace seer::http
