#pragma once
// One HTTP exchange with the Ollama server: Boost.Beast on an io_context of its own, run on
// the calling thread one operation at a time, each under a deadline. A stop request closes
// the socket from whatever thread asks, so a blocked read returns at once.

#include "ollama_settings.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>

namespace seer::ollama {

// Why an operation did not complete; what() is the system's words for `failed`.
class TransportError : public std::runtime_error {
 public:
  enum class Failure { timed_out, cancelled, closed, failed };
  TransportError(Failure failure, const std::string& detail)
      : std::runtime_error(detail), failure_(failure) {}
  Failure failure() const { return failure_; }

 private:
  Failure failure_;
};

class ServerConnection {
 public:
  using Clock = std::chrono::steady_clock;
  using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;

  ServerConnection(const ServerAddress& server, std::stop_token cancel);
  ~ServerConnection();
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  // Each throws TransportError.
  void connect(Clock::time_point deadline);
  void send(HttpRequest& request, Clock::time_point deadline);
  // The response's status code once its header has arrived.
  unsigned read_header(Clock::time_point deadline);
  // Appends the next body bytes to `into`; false once the body has ended.
  bool read_body(std::string& into, Clock::time_point deadline);

 private:
  // Runs one asynchronous operation to completion on this thread.
  void run(const std::function<void(std::function<void(boost::system::error_code)>)>& start);
  [[noreturn]] void fail(boost::system::error_code error);

  std::stop_token cancel_;
  const ServerAddress& server_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::resolver resolver_{io_};
  boost::asio::steady_timer resolve_timer_{io_};
  bool resolve_timed_out_ = false;
  boost::beast::tcp_stream stream_{io_};
  boost::beast::flat_buffer buffer_;
  boost::beast::http::response_parser<boost::beast::http::buffer_body> parser_;
  // Last: destroyed first, so no stop request reaches a half-destroyed connection.
  std::optional<std::stop_callback<std::function<void()>>> on_stop_;
};

}  // namespace seer::ollama
