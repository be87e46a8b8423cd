#include "ollama_exchange.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace seer::ollama {
namespace {

namespace http = boost::beast::http;

// An error body is a line of JSON; anything longer is not worth reading.
constexpr std::size_t kMaxErrorBody = 64 * 1024;

std::string error_text(const std::string& body) {
  boost::system::error_code error;
  const boost::json::value parsed = boost::json::parse(body, error);
  if (!error && parsed.is_object()) {
    if (const auto* text = parsed.get_object().if_contains("error"); text && text->is_string()) {
      return std::string(text->get_string());
    }
  }
  return body.empty() ? "no error text" : body.substr(0, 500);
}

}  // namespace

std::string server_prefix(const OllamaSettings& settings) {
  return "ollama at " + settings.server.url + ": ";
}

std::string describe(Duration duration) {
  if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000) + "s";
  return std::to_string(duration.count()) + "ms";
}

ServerConnection::HttpRequest json_post(const OllamaSettings& settings, std::string_view path,
                                        const boost::json::object& body) {
  ServerConnection::HttpRequest request{http::verb::post,
                                        settings.server.path_prefix + std::string(path), 11};
  request.set(http::field::host, settings.server.authority);
  request.set(http::field::content_type, "application/json");
  request.set(http::field::accept, "application/x-ndjson, application/json");
  request.set(http::field::user_agent, "seer-ollama");
  if (!settings.api_key.empty()) {
    request.set(http::field::authorization, "Bearer " + settings.api_key.value);
  }
  request.keep_alive(false);
  request.body() = boost::json::serialize(body);
  request.prepare_payload();
  return request;
}

void expect_success(ServerConnection& connection, unsigned status, const OllamaSettings& settings,
                    ServerConnection::Clock::time_point deadline) {
  if (status == 200) return;
  std::string body;
  try {
    while (body.size() < kMaxErrorBody && connection.read_body(body, deadline)) {
    }
  } catch (const TransportError&) {
    // The status alone still tells the user what happened.
  }
  throw OllamaHttpError(
      status, server_prefix(settings) + error_text(body) + " (" + std::to_string(status) + ")");
}

}  // namespace seer::ollama
