#pragma once
// A tiny HTTP listener for one webhook: every POST to its path hands the request's body to a
// callback and answers 202. Boost.Beast with C++20 coroutines, on the runtime's io_context.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/value.hpp>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace doorbell {

class WebhookListener : public std::enable_shared_from_this<WebhookListener> {
 public:
  // The body of a ring: its JSON, or the text as a JSON string when it is not JSON.
  using RingHandler = std::function<void(boost::json::value body)>;

  WebhookListener(boost::asio::io_context& io, std::string path, RingHandler on_ring);

  // Binds and starts accepting; throws std::runtime_error naming the address. Returns the
  // bound endpoint (its port is the chosen one when 0 was asked for).
  boost::asio::ip::tcp::endpoint listen(const std::string& host, std::uint16_t port);
  // Stops accepting and waits (up to two seconds) for the requests being answered, so that
  // no coroutine of this library outlives the plugin.
  void stop();

  const std::string& path() const { return path_; }
  const RingHandler& on_ring() const { return on_ring_; }

 private:
  friend class ActiveCoroutine;

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::string path_;
  RingHandler on_ring_;
  std::mutex mutex_;
  std::condition_variable idle_;
  int active_coroutines_ = 0;
};

}  // namespace doorbell
