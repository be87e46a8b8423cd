#include "mjpeg_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <mutex>

namespace seer::camera::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct MjpegServer::Shared {
  std::vector<std::vector<unsigned char>> jpegs;
  std::chrono::nanoseconds interval;
  std::mutex mutex;
  std::vector<std::weak_ptr<tcp::socket>> sockets;  // to close them all on stop()
};

// One client: reads its request, then writes a part per interval until the socket closes.
class MjpegServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Shared> shared, tcp::socket socket)
      : shared_(std::move(shared)),
        socket_(std::make_shared<tcp::socket>(std::move(socket))),
        timer_(socket_->get_executor()) {
    std::lock_guard lock(shared_->mutex);
    shared_->sockets.push_back(socket_);
  }

  void start() {
    http::async_read(*socket_, buffer_, request_,
                     [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                       if (!error) self->write_header();
                     });
  }

 private:
  void write_header() {
    out_ =
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: multipart/x-mixed-replace; boundary=seerframe\r\n"
        "Cache-Control: no-cache\r\nConnection: close\r\n\r\n";
    asio::async_write(*socket_, asio::buffer(out_),
                      [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                        if (!error) self->write_part();
                      });
  }

  void write_part() {
    const std::vector<unsigned char>& jpeg = shared_->jpegs[next_++ % shared_->jpegs.size()];
    out_ = "--seerframe\r\nContent-Type: image/jpeg\r\nContent-Length: " +
           std::to_string(jpeg.size()) + "\r\n\r\n";
    out_.append(jpeg.begin(), jpeg.end());
    out_ += "\r\n";
    asio::async_write(*socket_, asio::buffer(out_),
                      [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                        if (!error) self->wait();
                      });
  }

  void wait() {
    timer_.expires_after(shared_->interval);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
      if (!error) self->write_part();
    });
  }

  std::shared_ptr<Shared> shared_;
  std::shared_ptr<tcp::socket> socket_;
  asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  std::string out_;
  std::size_t next_ = 0;
};

MjpegServer::MjpegServer(std::vector<std::vector<unsigned char>> jpegs, double fps,
                         unsigned short port)
    : shared_(std::make_shared<Shared>()),
      acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), port)) {
  shared_->jpegs = std::move(jpegs);
  shared_->interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / fps));
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

MjpegServer::~MjpegServer() { stop(); }

std::string MjpegServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/stream.mjpg";
}

void MjpegServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
    if (error) return;
    std::make_shared<Session>(shared_, std::move(socket))->start();
    accept();
  });
}

void MjpegServer::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    std::lock_guard lock(shared_->mutex);
    for (const auto& weak : shared_->sockets) {
      if (auto socket = weak.lock()) {
        socket->shutdown(tcp::socket::shutdown_both, ignored);
        socket->close(ignored);
      }
    }
    io_.stop();
  });
  thread_.join();
}

}  // namespace seer::camera::test
