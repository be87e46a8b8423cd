#include "server_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <array>

namespace seer::ollama {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Failure = TransportError::Failure;

ServerConnection::ServerConnection(const ServerAddress& server, std::stop_token cancel)
    : cancel_(std::move(cancel)), server_(server) {
  // A streamed reply has no size limit: it is read piece by piece.
  parser_.body_limit(boost::none);
  on_stop_.emplace(cancel_, std::function<void()>([this] {
                     asio::post(io_, [this] {
                       resolver_.cancel();
                       beast::error_code ignored;
                       stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
                       stream_.socket().close(ignored);
                     });
                   }));
}

ServerConnection::~ServerConnection() { on_stop_.reset(); }

void ServerConnection::run(
    const std::function<void(std::function<void(boost::system::error_code)>)>& start) {
  if (cancel_.stop_requested()) throw TransportError(Failure::cancelled, "cancelled");
  std::optional<boost::system::error_code> result;
  start([&result](boost::system::error_code error) { result = error; });
  io_.restart();
  while (!result && io_.run_one() > 0) {
  }
  if (!result) throw TransportError(Failure::failed, "the connection's event loop stopped");
  if (*result && *result != http::error::need_buffer) fail(*result);
}

void ServerConnection::fail(boost::system::error_code error) {
  if (cancel_.stop_requested()) throw TransportError(Failure::cancelled, "cancelled");
  if (error == beast::error::timeout ||
      (resolve_timed_out_ && error == asio::error::operation_aborted)) {
    throw TransportError(Failure::timed_out, "timed out");
  }
  if (error == http::error::end_of_stream || error == http::error::partial_message ||
      error == asio::error::eof || error == asio::error::connection_reset ||
      error == asio::error::broken_pipe) {
    throw TransportError(Failure::closed, error.message());
  }
  throw TransportError(Failure::failed, error.message());
}

void ServerConnection::connect(Clock::time_point deadline) {
  asio::ip::tcp::resolver::results_type endpoints;
  // Name lookups run on a background thread that tcp_stream's timeouts do not reach.
  resolve_timer_.expires_at(deadline);
  resolve_timer_.async_wait([this](boost::system::error_code error) {
    if (error) return;
    resolve_timed_out_ = true;
    resolver_.cancel();
  });
  run([&](auto done) {
    resolver_.async_resolve(server_.host, server_.port,
                            [&endpoints, done](boost::system::error_code error, auto results) {
                              endpoints = std::move(results);
                              done(error);
                            });
  });
  resolve_timer_.cancel();
  stream_.expires_at(deadline);
  run([&](auto done) {
    stream_.async_connect(endpoints,
                          [done](boost::system::error_code error, const auto&) { done(error); });
  });
}

void ServerConnection::send(HttpRequest& request, Clock::time_point deadline) {
  stream_.expires_at(deadline);
  run([&](auto done) {
    http::async_write(stream_, request,
                      [done](boost::system::error_code error, std::size_t) { done(error); });
  });
}

unsigned ServerConnection::read_header(Clock::time_point deadline) {
  stream_.expires_at(deadline);
  run([&](auto done) {
    http::async_read_header(stream_, buffer_, parser_,
                            [done](boost::system::error_code error, std::size_t) { done(error); });
  });
  return parser_.get().result_int();
}

bool ServerConnection::read_body(std::string& into, Clock::time_point deadline) {
  std::array<char, 16384> piece;
  while (!parser_.is_done()) {
    parser_.get().body().data = piece.data();
    parser_.get().body().size = piece.size();
    stream_.expires_at(deadline);
    run([&](auto done) {
      http::async_read_some(stream_, buffer_, parser_,
                            [done](boost::system::error_code error, std::size_t) { done(error); });
    });
    const std::size_t received = piece.size() - parser_.get().body().size;
    parser_.get().body().data = nullptr;
    if (received > 0) {
      into.append(piece.data(), received);
      return true;
    }
  }
  return false;
}

}  // namespace seer::ollama
