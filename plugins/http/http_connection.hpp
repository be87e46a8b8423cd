#pragma once
// One client connection: after the TLS handshake (when the listener has TLS), reads requests
// (HTTP/1.1 keep-alive, one at a time), hands each to the router as an HttpExchange, and
// writes what the exchange sends, all on the connection's strand. Every read and write has a
// timeout; a client that leaves cancels its exchange.

#include "http_exchange.hpp"
#include "http_metrics.hpp"
#include "router.hpp"
#include "server_stream.hpp"

#include <seer/config.hpp>

#include <spdlog/logger.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace seer::http {

// What every connection of one server shares.
struct ConnectionShared {
  Duration request_timeout;
  Duration idle_timeout;
  std::size_t max_body = 0;
  std::shared_ptr<const Router> router;
  std::shared_ptr<spdlog::logger> log;
  std::shared_ptr<HttpMetrics> metrics;            // optional
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
  std::atomic<std::uint64_t> next_request_id{1};
  std::shared_ptr<const void> keepalive;  // the plugin's library, while handlers may run
  // Takes over the stream (TLS included) of a WebSocket upgrade request to `websocket_path`.
  std::string websocket_path;
  std::function<void(ServerStream, HttpRequest)> websocket;
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  // `socket` must use a strand as its executor.
  HttpConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ConnectionShared> shared);

  // Shakes hands (TLS), then reads the first request.
  void start();
  // From any thread: closes the socket and cancels the exchange in progress.
  void close();

 private:
  void on_handshake(boost::beast::error_code error);
  void read_header();
  void on_header(boost::beast::error_code error);
  void on_request(boost::beast::error_code error);
  void reject(HttpStatus status, std::string_view message);
  void dispatch(HttpRequest request);
  bool is_websocket_upgrade() const;
  void deliver(ReplyPart part);
  void write_next();
  void on_written(boost::beast::error_code error, bool last, std::size_t chunk_bytes);
  void finish_request();
  void shut_down_gracefully();
  void close_notify_then_close();
  void drain_then_close();
  void watch_for_disconnect();
  void on_readable(boost::beast::error_code error);
  void shut_down(std::string_view why);
  void log_request(std::string_view outcome) const;
  void count_request() const;

  ServerStream stream_;
  // The strand, kept apart: a WebSocket upgrade moves the stream out.
  boost::asio::any_io_executor executor_;
  std::shared_ptr<ConnectionShared> shared_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<HttpExchange> exchange_;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool watching_ = false;
  bool closed_ = false;

  std::deque<ReplyPart> pending_;
  bool writing_ = false;
  // What the write in progress reads from.
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> whole_;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>> stream_head_;
  std::optional<boost::beast::http::response_serializer<boost::beast::http::empty_body>>
      head_serializer_;
  std::string chunk_;
  std::array<char, 16384> drain_buffer_{};
  std::size_t drained_ = 0;
};

}  // namespace seer::http
