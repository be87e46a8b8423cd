#include "http_connection.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <chrono>

namespace seer::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint32_t kHeaderLimit = 64 * 1024;
// How long, and how much, a closing connection reads and drops of what the client still sends.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 256u << 20;
// The largest TLS record: what OpenSSL drops at most per shutdown attempt.
constexpr std::size_t kTlsRecordBytes = 16384;
constexpr std::string_view kServerName = "seer";
// The id the request is logged under, so a client's report can be found in the log.
constexpr std::string_view kRequestIdHeader = "X-Request-Id";

// Errors that only mean the client went away (over TLS maybe without close_notify) or went
// quiet.
bool is_gone(beast::error_code error) {
  return error == beast_http::error::end_of_stream || error == beast::error::timeout ||
         error == asio::ssl::error::stream_truncated || error == asio::error::eof ||
         error == asio::error::connection_reset || error == asio::error::broken_pipe ||
         error == asio::error::operation_aborted;
}

// Those, or a broken TLS session: no answer can reach the client then.
bool is_disconnect(beast::error_code error) {
  return is_gone(error) || error.category() == asio::error::get_ssl_category();
}

}  // namespace

HttpConnection::HttpConnection(tcp::socket socket, std::shared_ptr<ConnectionShared> shared)
    : stream_(std::move(socket), shared->tls.get()),
      executor_(stream_.get_executor()),
      shared_(std::move(shared)) {}

void HttpConnection::start() {
  asio::dispatch(executor_, [self = shared_from_this()] {
    // A client that connects and says nothing waits no longer than one that sends no request.
    self->stream_.tcp().expires_after(self->shared_->idle_timeout);
    self->stream_.async_handshake([self](beast::error_code error) { self->on_handshake(error); });
  });
}

void HttpConnection::close() {
  asio::post(executor_, [self = shared_from_this()] { self->shut_down("closed"); });
}

void HttpConnection::on_handshake(beast::error_code error) {
  if (closed_) return;
  if (error) {
    // Scanners and plain-HTTP clients end here: one quiet line each, not a warning.
    shared_->log->debug("TLS handshake with {} failed: {}", stream_.remote(), error.message());
    return shut_down("");
  }
  read_header();
}

void HttpConnection::read_header() {
  if (closed_) return;
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(shared_->max_body);
  stream_.tcp().expires_after(shared_->idle_timeout);
  beast_http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](beast::error_code error, std::size_t) {
                                  self->on_header(error);
                                });
}

void HttpConnection::on_header(beast::error_code error) {
  if (closed_) return;
  // Beast refuses a Content-Length over the body limit while reading the header, so the
  // body is never buffered.
  if (error == beast_http::error::body_limit) {
    // The parser's content_length() is only for a complete header; the field may be there.
    const std::string length(parser_->get()[beast_http::field::content_length]);
    return reject(HttpStatus::payload_too_large,
                  "request body" + (length.empty() ? "" : " of " + length + " bytes") +
                      " is over the limit of " + std::to_string(shared_->max_body) + " bytes");
  }
  if (error == beast_http::error::header_limit) {
    return reject(HttpStatus::request_header_fields_too_large, "request header too large");
  }
  if (is_disconnect(error)) return shut_down("");
  if (error) return reject(HttpStatus::bad_request, "malformed HTTP request: " + error.message());
  stream_.tcp().expires_after(shared_->request_timeout);
  beast_http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code read_error, std::size_t) {
                           self->on_request(read_error);
                         });
}

void HttpConnection::on_request(beast::error_code error) {
  if (closed_) return;
  if (error == beast_http::error::body_limit) {
    return reject(HttpStatus::payload_too_large, "request body is over the limit of " +
                                                     std::to_string(shared_->max_body) + " bytes");
  }
  if (is_disconnect(error)) return shut_down("");
  if (error) return reject(HttpStatus::bad_request, "malformed HTTP request: " + error.message());
  keep_alive_ = parser_->get().keep_alive();
  if (is_websocket_upgrade()) {
    // The stream is the WebSocket session's from now on, with its own timeouts.
    closed_ = true;
    stream_.tcp().expires_never();
    return shared_->websocket(std::move(stream_), parser_->release());
  }
  dispatch(parser_->release());
}

bool HttpConnection::is_websocket_upgrade() const {
  if (!shared_->websocket || !beast::websocket::is_upgrade(parser_->get())) return false;
  std::string_view path = parser_->get().target();
  return path.substr(0, path.find('?')) == shared_->websocket_path;
}

void HttpConnection::reject(HttpStatus status, std::string_view message) {
  // The rest of the request is unread, so the connection cannot carry another one.
  keep_alive_ = false;
  HttpRequest request = parser_ ? parser_->release() : HttpRequest{};
  exchange_ = std::make_shared<HttpExchange>(
      std::move(request), shared_->next_request_id++,
      [self = shared_from_this()](ReplyPart part) { self->deliver(std::move(part)); });
  head_request_ = false;
  exchange_->respond_error(status, message);
}

void HttpConnection::dispatch(HttpRequest request) {
  head_request_ = request.method() == beast_http::verb::head;
  // The exchange holds the connection until its reply is written or the client leaves.
  exchange_ = std::make_shared<HttpExchange>(
      std::move(request), shared_->next_request_id++,
      [self = shared_from_this()](ReplyPart part) { self->deliver(std::move(part)); });
  const auto exchange = exchange_;
  shared_->router->handle(exchange);
  if (!exchange->replied() || exchange->streaming()) watch_for_disconnect();
}

void HttpConnection::deliver(ReplyPart part) {
  asio::post(executor_, [self = shared_from_this(), part = std::move(part)]() mutable {
    if (self->closed_) return;
    self->pending_.push_back(std::move(part));
    if (!self->writing_) self->write_next();
  });
}

void HttpConnection::write_next() {
  if (closed_ || pending_.empty()) {
    writing_ = false;
    return;
  }
  writing_ = true;
  ReplyPart part = std::move(pending_.front());
  pending_.pop_front();
  const unsigned version = exchange_ ? exchange_->request().version() : 11;
  const std::string request_id = exchange_ ? std::to_string(exchange_->id()) : "";
  stream_.tcp().expires_after(shared_->request_timeout);
  auto self = shared_from_this();
  switch (part.kind) {
    case ReplyPart::Kind::whole: {
      whole_.emplace(part.status, version);
      whole_->set(beast_http::field::server, kServerName);
      whole_->set(kRequestIdHeader, request_id);
      if (!part.content_type.empty()) {
        whole_->set(beast_http::field::content_type, part.content_type);
      }
      for (const auto& [name, value] : part.headers) whole_->set(name, value);
      whole_->keep_alive(keep_alive_);
      const std::size_t size = part.body.size();
      if (!head_request_) whole_->body() = std::move(part.body);
      // A 204 has no body and must not say how long it is.
      if (part.status != HttpStatus::no_content) whole_->content_length(size);
      beast_http::async_write(stream_, *whole_, [self](beast::error_code error, std::size_t) {
        self->on_written(error, true, 0);
      });
      return;
    }
    case ReplyPart::Kind::stream_head:
      stream_head_.emplace(part.status, version);
      stream_head_->set(beast_http::field::server, kServerName);
      stream_head_->set(kRequestIdHeader, request_id);
      stream_head_->set(beast_http::field::content_type, part.content_type);
      for (const auto& [name, value] : part.headers) stream_head_->set(name, value);
      stream_head_->keep_alive(keep_alive_);
      stream_head_->chunked(true);
      head_serializer_.emplace(*stream_head_);
      beast_http::async_write_header(
          stream_, *head_serializer_,
          [self](beast::error_code error, std::size_t) { self->on_written(error, false, 0); });
      return;
    case ReplyPart::Kind::chunk:
      chunk_ = std::move(part.body);
      asio::async_write(stream_, beast_http::make_chunk(asio::buffer(chunk_)),
                        [self](beast::error_code error, std::size_t) {
                          self->on_written(error, false, self->chunk_.size());
                        });
      return;
    case ReplyPart::Kind::stream_end:
      asio::async_write(
          stream_, beast_http::make_chunk_last(),
          [self](beast::error_code error, std::size_t) { self->on_written(error, true, 0); });
      return;
  }
}

void HttpConnection::on_written(beast::error_code error, bool last, std::size_t chunk_bytes) {
  if (closed_) return;
  if (error) return shut_down("write failed: " + error.message());
  if (exchange_ && chunk_bytes > 0) exchange_->sent(chunk_bytes);
  if (last) return finish_request();
  write_next();
}

void HttpConnection::finish_request() {
  writing_ = false;
  log_request("");
  count_request();
  exchange_.reset();
  whole_.reset();
  head_serializer_.reset();
  stream_head_.reset();
  if (watching_) {
    // Ends the disconnect watch; nothing else is in progress on the socket now.
    beast::error_code ignored;
    stream_.tcp().socket().cancel(ignored);
    watching_ = false;
  }
  if (!keep_alive_) {
    closed_ = true;
    return shut_down_gracefully();
  }
  read_header();
}

void HttpConnection::shut_down_gracefully() {
  // A lingering close (RFC 9112 §9.6): closing with unread bytes makes the kernel reset the
  // connection, and a client still sending a refused body (413) would lose our answer. What
  // it sends is read and dropped, for a bounded time: after close_notify over TLS, else after
  // a TCP half-close.
  stream_.tcp().expires_after(kLingerTime);
  if (stream_.is_tls()) return close_notify_then_close();
  stream_.async_shutdown(
      [self = shared_from_this()](beast::error_code) { self->drain_then_close(); });
}

void HttpConnection::close_notify_then_close() {
  stream_.async_shutdown([self = shared_from_this()](beast::error_code error) {
    // OpenSSL drops one record of what the client still sends per attempt and fails it; the
    // client's close_notify (no error), its leaving, or the linger time end the wait.
    self->drained_ += kTlsRecordBytes;
    const bool client_still_sending = error && !is_gone(error) &&
                                      self->stream_.tcp().socket().is_open() &&
                                      self->drained_ <= kLingerBytes;
    if (client_still_sending) return self->close_notify_then_close();
    self->stream_.tcp().close();
  });
}

void HttpConnection::drain_then_close() {
  stream_.async_read_some(asio::buffer(drain_buffer_),
                          [self = shared_from_this()](beast::error_code error, std::size_t read) {
                            self->drained_ += read;
                            if (error || self->drained_ > kLingerBytes)
                              return self->stream_.tcp().close();
                            self->drain_then_close();
                          });
}

void HttpConnection::watch_for_disconnect() {
  if (watching_ || closed_) return;
  watching_ = true;
  // The TCP socket is watched, under TLS too: the bytes themselves do not matter.
  stream_.tcp().socket().async_wait(tcp::socket::wait_read,
                                    [self = shared_from_this()](beast::error_code error) {
                                      // An aborted watch was ended by finish_request().
                                      if (error == asio::error::operation_aborted) return;
                                      self->watching_ = false;
                                      self->on_readable(error);
                                    });
}

void HttpConnection::on_readable(beast::error_code error) {
  if (closed_ || !exchange_) return;
  char byte = 0;
  beast::error_code peek_error;
  tcp::socket& socket = stream_.tcp().socket();
  socket.non_blocking(true, peek_error);
  const std::size_t peeked =
      socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, peek_error);
  if (peek_error == asio::error::would_block) return watch_for_disconnect();
  if (error || peek_error || peeked == 0) return shut_down("client disconnected");
  // Otherwise the client sent its next request early: it is read after this reply.
}

void HttpConnection::shut_down(std::string_view why) {
  if (closed_) return;
  closed_ = true;
  if (exchange_) {
    exchange_->cancel();
    if (!why.empty()) log_request(why);
    count_request();
    exchange_.reset();
  }
  pending_.clear();
  beast::error_code ignored;
  stream_.tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.tcp().close();
}

void HttpConnection::log_request(std::string_view outcome) const {
  const HttpRequest& request = exchange_->request();
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                 exchange_->received_at());
  if (outcome.empty()) {
    shared_->log->info("request {}: {} {} → {} in {:.1f} ms", exchange_->id(),
                       std::string(request.method_string()), std::string(request.target()),
                       static_cast<unsigned>(exchange_->status()), elapsed.count());
  } else {
    shared_->log->info("request {}: {} {} → {} after {:.1f} ms", exchange_->id(),
                       std::string(request.method_string()), std::string(request.target()), outcome,
                       elapsed.count());
  }
}

void HttpConnection::count_request() const {
  if (!shared_->metrics) return;
  const HttpRequest& request = exchange_->request();
  const std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - exchange_->received_at();
  // 499 (as nginx logs it): the client left before a reply began.
  const unsigned status = exchange_->replied() ? static_cast<unsigned>(exchange_->status()) : 499;
  shared_->metrics->record_request(shared_->router->route_of(request.target()),
                                   request.method_string(), status, elapsed.count());
}

}  // namespace seer::http
