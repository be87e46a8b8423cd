#include "http_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <future>
#include <stdexcept>

namespace seer::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

HttpServer::HttpServer(asio::io_context& io, std::shared_ptr<ConnectionShared> shared)
    : io_(io), acceptor_(asio::make_strand(io)), shared_(std::move(shared)) {}

tcp::endpoint HttpServer::listen(const std::string& host, std::uint16_t port) {
  const std::string address_text = host == "localhost" ? "127.0.0.1" : host;
  const std::string where = host + ":" + std::to_string(port);
  try {
    const tcp::endpoint endpoint(asio::ip::make_address(address_text), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
  } catch (const boost::system::system_error& error) {
    throw std::runtime_error("cannot listen on " + where + ": " + error.code().message());
  }
  const tcp::endpoint bound = acceptor_.local_endpoint();
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
  return bound;
}

void HttpServer::accept() {
  acceptor_.async_accept(
      asio::make_strand(io_),
      [self = shared_from_this()](boost::system::error_code error, tcp::socket socket) {
        if (!self->acceptor_.is_open()) return;
        if (error) {
          // Out of descriptors, say: the listener carries on with the next client.
          self->shared_->log->warn("accept failed: {}", error.message());
        } else {
          auto connection = std::make_shared<HttpConnection>(std::move(socket), self->shared_);
          {
            const std::lock_guard lock(self->connections_mutex_);
            std::erase_if(self->connections_, [](const auto& weak) { return weak.expired(); });
            self->connections_.push_back(connection);
          }
          connection->start();
        }
        self->accept();
      });
}

void HttpServer::stop() {
  // The acceptor belongs to its strand: it is closed there, and stop() waits for that.
  auto closed = std::make_shared<std::promise<void>>();
  auto done = closed->get_future();
  asio::post(acceptor_.get_executor(), [self = shared_from_this(), closed] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    closed->set_value();
  });
  if (done.wait_for(std::chrono::seconds(2)) != std::future_status::ready) {
    shared_->log->warn("the listener did not close within 2 s");
  }
  std::vector<std::weak_ptr<HttpConnection>> connections;
  {
    const std::lock_guard lock(connections_mutex_);
    connections.swap(connections_);
  }
  for (const auto& weak : connections) {
    if (const auto connection = weak.lock()) connection->close();
  }
}

}  // namespace seer::http
