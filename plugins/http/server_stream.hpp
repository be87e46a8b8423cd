#pragma once
// One accepted connection's byte stream: plain TCP, or TLS over it when the listener has a
// certificate. It is itself an asynchronous stream (Beast's AsyncReadStream and
// AsyncWriteStream, a websocket::stream's next layer), so HttpConnection and WsSession are
// written once for both: only the handshake and the shutdown differ.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <string>
#include <utility>
#include <variant>

namespace seer::http {

class ServerStream {
 public:
  using executor_type = boost::asio::any_io_executor;
  using Plain = boost::beast::tcp_stream;
  using Tls = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // `socket`'s executor should be a strand; `tls` null: plain TCP. The context must outlive
  // the stream.
  ServerStream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls);

  bool is_tls() const { return std::holds_alternative<Tls>(stream_); }
  // The TCP layer: its timeouts (expires_after) and its socket.
  boost::beast::tcp_stream& tcp();
  executor_type get_executor() { return tcp().get_executor(); }
  // "127.0.0.1:41234", or "unknown" once the socket is gone.
  std::string remote();

  // TLS: the server's side of the handshake; plain: nothing. Under the TCP layer's timeout.
  template <class Handler>
  void async_handshake(Handler&& handler) {
    if (auto* tls = std::get_if<Tls>(&stream_)) {
      return tls->async_handshake(boost::asio::ssl::stream_base::server,
                                  std::forward<Handler>(handler));
    }
    boost::asio::post(get_executor(), [handler = std::forward<Handler>(handler)]() mutable {
      handler(boost::beast::error_code{});
    });
  }

  // TLS: sends close_notify, then reads (and drops) what the client still sends until its own
  // close_notify or the end of the connection, under the TCP layer's timeout. Plain: shuts
  // down the sending side; the caller reads what follows. Neither closes the socket.
  template <class Handler>
  void async_shutdown(Handler&& handler) {
    if (auto* tls = std::get_if<Tls>(&stream_)) {
      return tls->async_shutdown(std::forward<Handler>(handler));
    }
    boost::beast::error_code error;
    tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, error);
    boost::asio::post(get_executor(), [handler = std::forward<Handler>(handler), error]() mutable {
      handler(error);
    });
  }

  // AsyncReadStream and AsyncWriteStream.
  template <class MutableBuffers, class Handler>
  void async_read_some(const MutableBuffers& buffers, Handler&& handler) {
    std::visit(
        [&](auto& stream) { stream.async_read_some(buffers, std::forward<Handler>(handler)); },
        stream_);
  }
  template <class ConstBuffers, class Handler>
  void async_write_some(const ConstBuffers& buffers, Handler&& handler) {
    std::visit(
        [&](auto& stream) { stream.async_write_some(buffers, std::forward<Handler>(handler)); },
        stream_);
  }

  // Beast's customization points: how a websocket::stream closes its next layer after the
  // closing handshake (TLS: close_notify first), and when it times out.
  template <class Handler>
  friend void async_teardown(boost::beast::role_type role, ServerStream& stream,
                             Handler&& handler) {
    std::visit(
        [&](auto& inner) {
          using boost::beast::websocket::async_teardown;
          async_teardown(role, inner, std::forward<Handler>(handler));
        },
        stream.stream_);
  }
  friend void beast_close_socket(ServerStream& stream) {
    boost::beast::error_code ignored;
    stream.tcp().socket().close(ignored);
  }

 private:
  std::variant<Plain, Tls> stream_;
};

}  // namespace seer::http
