#pragma once
// The listener: one acceptor on the runtime's io_context, a strand per accepted connection,
// and the list of live connections so stop() can close them all.

#include "http_connection.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace seer::http {

class HttpServer : public std::enable_shared_from_this<HttpServer> {
 public:
  HttpServer(boost::asio::io_context& io, std::shared_ptr<ConnectionShared> shared);

  // Binds and starts accepting; throws std::runtime_error naming the address. Returns the
  // bound endpoint (its port is the chosen one when 0 was asked for).
  boost::asio::ip::tcp::endpoint listen(const std::string& host, std::uint16_t port);
  // Stops accepting and closes every connection (their exchanges are cancelled). From any
  // thread; returns once the acceptor is closed.
  void stop();

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<ConnectionShared> shared_;
  std::mutex connections_mutex_;
  std::vector<std::weak_ptr<HttpConnection>> connections_;
};

}  // namespace seer::http
