#pragma once
// Blocking HTTPS and wss:// clients (Boost.Beast over OpenSSL) for the TLS tests. They trust
// only the test CA (tls/ca.pem) and check that the certificate names 127.0.0.1, as real
// clients do; every read gives up after 10 s.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "http_test_client.hpp"

namespace seer::http::test {

// A file of tests/plugins/http/tls (see its README.md).
std::string tls_file(const std::string& name);

class HttpsTestClient {
 public:
  // Connects and shakes hands; throws boost::system::system_error when either fails.
  explicit HttpsTestClient(std::uint16_t port);
  ~HttpsTestClient();

  Response request(boost::beast::http::verb method, const std::string& target,
                   const std::string& body = {}, const Headers& headers = {});
  Response get(const std::string& target, const Headers& headers = {}) {
    return request(boost::beast::http::verb::get, target, {}, headers);
  }
  Response post_json(const std::string& target, const boost::json::value& body,
                     const Headers& headers = {});
  // Sends a streamed request and reads until its body holds `lines` NDJSON lines; the
  // response is left unfinished.
  std::vector<std::string> read_first_lines(const std::string& target,
                                            const boost::json::value& body, std::size_t lines);
  // Writes bytes through TLS (a request header alone, say) and reads one response.
  Response raw(const std::string& bytes);
  // Writes bytes through TLS, without reading.
  void write(const std::string& bytes);
  // How the server ended the connection: eof after its close_notify (a clean TLS shutdown),
  // stream_truncated when it closed the socket without one, or the first other error a
  // read got.
  boost::system::error_code read_until_closed();
  // Drops the TCP connection without a TLS shutdown.
  void drop();

 private:
  Response read_response();
  boost::asio::io_context io_;
  boost::asio::ssl::context tls_;
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  boost::beast::flat_buffer buffer_;
};

class WssTestClient {
 public:
  // Connects, shakes hands (TLS, then WebSocket on /ws, sending `headers` with the upgrade);
  // throws boost::system::system_error.
  explicit WssTestClient(std::uint16_t port, const Headers& headers = {});

  void send(const boost::json::value& message);
  // The next frame, as JSON; throws boost::system::system_error when the connection ends.
  boost::json::value receive();
  // Reads frames until one of `type` and returns it.
  boost::json::value receive_until(std::string_view type);
  // The closing handshake, TLS shutdown included.
  void close();

 private:
  boost::asio::io_context io_;
  boost::asio::ssl::context tls_;
  boost::beast::websocket::stream<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> ws_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace seer::http::test
