#pragma once
// A loopback HTTP MJPEG server for tests: every GET is answered with an endless
// multipart/x-mixed-replace stream of JPEG parts at a fixed rate, as IP cameras serve them.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace seer::camera::test {

class MjpegServer {
 public:
  // Serves `jpegs` in a loop at `fps` on 127.0.0.1:`port` (0: a free port).
  MjpegServer(std::vector<std::vector<unsigned char>> jpegs, double fps, unsigned short port = 0);
  ~MjpegServer();
  MjpegServer(const MjpegServer&) = delete;
  MjpegServer& operator=(const MjpegServer&) = delete;

  unsigned short port() const { return port_; }
  std::string url() const;
  // Closes the listener and every open stream, as a camera that goes off the network.
  void stop();

 private:
  struct Shared;
  class Session;
  void accept();

  std::shared_ptr<Shared> shared_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
};

}  // namespace seer::camera::test
