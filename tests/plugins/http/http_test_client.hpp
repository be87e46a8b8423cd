#pragma once
// A small blocking HTTP/1.1 client over one keep-alive connection (Boost.Beast), with a read
// timeout so a test fails instead of hanging.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace seer::http::test {

using Response = boost::beast::http::response<boost::beast::http::string_body>;
using Headers = std::map<std::string, std::string>;

class HttpTestClient {
 public:
  explicit HttpTestClient(std::uint16_t port);
  ~HttpTestClient();

  Response request(boost::beast::http::verb method, const std::string& target,
                   const std::string& body = {}, const Headers& headers = {});
  Response get(const std::string& target, const Headers& headers = {}) {
    return request(boost::beast::http::verb::get, target, {}, headers);
  }
  Response post(const std::string& target, const std::string& body, const Headers& headers = {}) {
    return request(boost::beast::http::verb::post, target, body, headers);
  }
  Response post_json(const std::string& target, const boost::json::value& body,
                     const Headers& headers = {});

  // Sends a request and reads the streamed body until it holds `lines` NDJSON lines; the
  // response is left unfinished (the test then closes the connection, say).
  std::vector<std::string> read_first_lines(const std::string& target,
                                            const boost::json::value& body, std::size_t lines);
  // Writes raw bytes (malformed requests) and reads one response.
  Response raw(const std::string& bytes);
  void close();
  bool server_closed();  // true when the server has closed its side (a read sees EOF)

 private:
  Response read_response(bool head = false);
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// The JSON objects of an NDJSON body, one per line.
std::vector<boost::json::value> ndjson_lines(const std::string& body);
boost::json::value json_body(const Response& response);

}  // namespace seer::http::test
