#pragma once
// A small blocking WebSocket client (Boost.Beast) for the /ws tests, with a read timeout so a
// test fails instead of hanging.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seer::http::test {

class WsTestClient {
 public:
  // Connects and upgrades; throws boost::system::system_error when the upgrade is refused
  // (`refused_status` then holds the HTTP status). `receive_buffer` shrinks the socket's
  // receive buffer (a client that stops reading fills it sooner).
  explicit WsTestClient(std::uint16_t port, const std::map<std::string, std::string>& headers = {},
                        int receive_buffer = 0);
  ~WsTestClient();

  void send(const boost::json::value& message);
  void send_text(const std::string& text);
  // The next frame, as JSON. Throws boost::system::system_error when the connection ends
  // (the close code is then in close_code()) or after 10 s without one.
  boost::json::value receive();
  // Reads frames until one of `type` (and `id`, when given) and returns it; the others it read
  // are kept in `skipped`.
  boost::json::value receive_until(std::string_view type, const boost::json::value& id = nullptr);
  // Reads (and drops) frames until the connection ends; the close code, or nothing when the
  // server closed the socket without a close frame.
  std::optional<std::uint16_t> read_until_closed();
  std::optional<std::uint16_t> close_code() const { return close_code_; }

  std::vector<boost::json::value> skipped;

 private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  std::optional<std::uint16_t> close_code_;
};

// The HTTP status an upgrade to /ws is refused with (0 when it was accepted).
unsigned refused_upgrade_status(std::uint16_t port,
                                const std::map<std::string, std::string>& headers);

}  // namespace seer::http::test
