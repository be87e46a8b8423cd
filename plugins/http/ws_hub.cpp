#include "ws_hub.hpp"

#include "bearer_token.hpp"
#include "ollama_reply.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace seer::http {

namespace beast = boost::beast;
namespace beast_http = beast::http;
namespace websocket = beast::websocket;

namespace {

// Answers an upgrade that cannot become a session (a wrong token, a server stopping) with a
// plain HTTP error, then closes the connection.
void refuse_upgrade(ServerStream stream, const HttpRequest& upgrade, HttpStatus status,
                    std::string_view message) {
  struct Refusal {
    ServerStream stream;
    beast_http::response<beast_http::string_body> response;
  };
  auto refusal = std::make_shared<Refusal>(Refusal{
      std::move(stream), beast_http::response<beast_http::string_body>(status, upgrade.version())});
  auto& response = refusal->response;
  response.set(beast_http::field::server, "seer");
  response.set(beast_http::field::content_type, "application/json; charset=utf-8");
  response.body() = boost::json::serialize(boost::json::object{{"error", message}});
  response.keep_alive(false);
  response.prepare_payload();
  // Bounded like every write; over TLS, close_notify follows the answer.
  refusal->stream.tcp().expires_after(std::chrono::seconds(5));
  beast_http::async_write(refusal->stream, response, [refusal](beast::error_code, std::size_t) {
    refusal->stream.async_shutdown([refusal](beast::error_code) {
      beast::error_code ignored;
      refusal->stream.tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
      refusal->stream.tcp().close();
    });
  });
}

// A browser's page served by this server itself: its Origin names the Host it asked.
bool same_origin(std::string_view origin, std::string_view host) {
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (origin.starts_with(scheme)) return origin.substr(scheme.size()) == host;
  }
  return false;
}

}  // namespace

void WsHub::start(PluginContext& plugin) {
  // One subscription for every kind, so one agent's events keep their order.
  events_ = plugin.subscribe("agents/+/+",
                             [weak = weak_from_this()](const EventPtr& published) {
                               if (const auto hub = weak.lock()) hub->on_event(published);
                             },
                             {.subscriber_name = "http ws events"});
}

void WsHub::add_routes(Router& router) {
  router.add(
      beast_http::verb::get, kWebSocketPath,
      [](const std::shared_ptr<HttpExchange>& exchange) {
        exchange->respond_error(HttpStatus::upgrade_required,
                                "/ws speaks WebSocket: send an Upgrade request");
      },
      Access::open);
}

void WsHub::accept(ServerStream stream, HttpRequest upgrade) {
  // Browsers send their page's Origin and let any page open a WebSocket anywhere: only the
  // server's own pages and the cors_origins may (clients outside browsers send no Origin).
  const std::string_view origin = upgrade[beast_http::field::origin];
  if (!origin.empty() && !same_origin(origin, upgrade[beast_http::field::host]) &&
      !context_->origins.allows(origin)) {
    return refuse_upgrade(
        std::move(stream), upgrade, HttpStatus::forbidden,
        "origin " + std::string(origin) + " may not open a WebSocket here (see cors_origins)");
  }
  const std::string_view authorization = upgrade[beast_http::field::authorization];
  bool authenticated = context_->token.empty();
  // A token in the header must be right; without one, the client's hello must bring it.
  if (!authenticated && !authorization.empty()) {
    if (!bearer_token_matches(authorization, context_->token.value)) {
      return refuse_upgrade(std::move(stream), upgrade, HttpStatus::unauthorized, "unauthorized");
    }
    authenticated = true;
  }
  auto session = std::make_shared<WsSession>(std::move(stream), context_, authenticated);
  {
    const std::lock_guard lock(mutex_);
    if (stopped_) return;  // the socket closes with the session
    std::erase_if(sessions_, [](const auto& weak) { return weak.expired(); });
    sessions_.push_back(session);
  }
  session->start(upgrade);
}

std::vector<std::shared_ptr<WsSession>> WsHub::live_sessions() {
  std::vector<std::shared_ptr<WsSession>> live;
  const std::lock_guard lock(mutex_);
  for (const auto& weak : sessions_) {
    if (auto session = weak.lock(); session && !session->finished()) live.push_back(session);
  }
  return live;
}

void WsHub::on_event(const EventPtr& event) {
  // agents/<agent>/<event>
  const std::string_view topic = event->topic;
  const std::size_t first = topic.find('/');
  const std::size_t last = topic.rfind('/');
  if (first == std::string_view::npos || first == last) return;
  const std::string_view agent = topic.substr(first + 1, last - first - 1);
  const std::string_view name = topic.substr(last + 1);
  if (std::ranges::find(kWsEventNames, name) == kWsEventNames.end()) return;  // replies, ...
  const auto frame = std::make_shared<const std::string>(
      event_frame(name, agent, event->payload, rfc3339(event->timestamp)));
  for (const auto& session : live_sessions()) session->offer_event(name, agent, frame);
}

void WsHub::stop() {
  events_.unsubscribe();
  {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  const std::vector<std::shared_ptr<WsSession>> sessions = live_sessions();
  for (const auto& session : sessions) {
    session->close(websocket::close_code::going_away, "server stopping");
  }
  // The close frames go out on the I/O threads, which keep running while plugins stop.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (std::chrono::steady_clock::now() < deadline &&
         std::ranges::any_of(sessions, [](const auto& session) { return !session->finished(); })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace seer::http
