#include "webhook_listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <stdexcept>

namespace doorbell {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

// Counts a coroutine as running for its whole life, so that stop() can wait for it.
class ActiveCoroutine {
 public:
  explicit ActiveCoroutine(std::shared_ptr<WebhookListener> listener)
      : listener_(std::move(listener)) {
    std::lock_guard lock(listener_->mutex_);
    ++listener_->active_coroutines_;
  }
  ~ActiveCoroutine() {
    std::lock_guard lock(listener_->mutex_);
    if (--listener_->active_coroutines_ == 0) listener_->idle_.notify_all();
  }
  ActiveCoroutine(const ActiveCoroutine&) = delete;
  ActiveCoroutine& operator=(const ActiveCoroutine&) = delete;
  WebhookListener& listener() { return *listener_; }
  tcp::acceptor& acceptor() { return listener_->acceptor_; }

 private:
  std::shared_ptr<WebhookListener> listener_;
};

namespace {

constexpr std::uint64_t kMaxBody = 64 * 1024;
constexpr std::chrono::seconds kRequestTimeout{10};

http::response<http::string_body> reply(const http::request<http::string_body>& request,
                                        http::status status, const boost::json::value& body) {
  http::response<http::string_body> response(status, request.version());
  response.set(http::field::content_type, "application/json");
  response.keep_alive(false);
  response.body() = boost::json::serialize(body);
  response.prepare_payload();
  return response;
}

boost::json::value body_of(const std::string& text) {
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(text, error);
  if (error) return boost::json::string(text);
  return parsed;
}

// One connection, one request: the webhook answers and closes. `active` keeps the listener
// (its path and handler) alive and counted while this runs.
asio::awaitable<void> answer(std::shared_ptr<ActiveCoroutine> active, tcp::socket socket) {
  const std::string& path = active->listener().path();
  beast::tcp_stream stream(std::move(socket));
  try {
    beast::flat_buffer buffer;
    http::request_parser<http::string_body> parser;
    parser.body_limit(kMaxBody);
    stream.expires_after(kRequestTimeout);
    co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
    const auto& request = parser.get();
    http::response<http::string_body> response;
    if (request.target() != path) {
      response = reply(request, http::status::not_found, {{"error", "the webhook is " + path}});
    } else if (request.method() != http::verb::post) {
      response = reply(request, http::status::method_not_allowed, {{"error", "POST it"}});
    } else {
      active->listener().on_ring()(body_of(request.body()));
      response = reply(request, http::status::accepted, {{"rang", true}});
    }
    stream.expires_after(kRequestTimeout);
    co_await http::async_write(stream, response, asio::use_awaitable);
  } catch (const boost::system::system_error&) {
    // A client that left, timed out or sent too much: nothing to answer.
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<void> accept_loop(std::shared_ptr<ActiveCoroutine> active) {
  tcp::acceptor& acceptor = active->acceptor();
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (error == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (error) continue;  // a connection reset before it was accepted
    auto connection = std::make_shared<ActiveCoroutine>(active->listener().shared_from_this());
    asio::co_spawn(acceptor.get_executor(), answer(connection, std::move(socket)), asio::detached);
  }
}

}  // namespace

WebhookListener::WebhookListener(asio::io_context& io, std::string path, RingHandler on_ring)
    : strand_(asio::make_strand(io)),
      acceptor_(strand_),
      path_(std::move(path)),
      on_ring_(std::move(on_ring)) {}

tcp::endpoint WebhookListener::listen(const std::string& host, std::uint16_t port) {
  try {
    const tcp::endpoint endpoint(asio::ip::make_address(host), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
  } catch (const boost::system::system_error& error) {
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             error.code().message());
  }
  auto active = std::make_shared<ActiveCoroutine>(shared_from_this());
  asio::co_spawn(strand_, accept_loop(active), asio::detached);
  return acceptor_.local_endpoint();
}

void WebhookListener::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
  std::unique_lock lock(mutex_);
  idle_.wait_for(lock, std::chrono::seconds(2), [this] { return active_coroutines_ == 0; });
}

}  // namespace doorbell
