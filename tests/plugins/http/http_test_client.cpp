#include "http_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <sstream>
#include <stdexcept>

namespace seer::http::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;

HttpTestClient::HttpTestClient(std::uint16_t port) : socket_(io_) {
  socket_.connect({asio::ip::make_address("127.0.0.1"), port});
  // Every read gives up after 10 s: an upper bound, so a broken server fails the test.
  timeval timeout{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

HttpTestClient::~HttpTestClient() { close(); }

Response HttpTestClient::request(beast_http::verb method, const std::string& target,
                                 const std::string& body, const Headers& headers) {
  beast_http::request<beast_http::string_body> request{method, target, 11};
  request.set(beast_http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty()) {
    request.set(beast_http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  beast_http::write(socket_, request);
  return read_response(method == beast_http::verb::head);
}

Response HttpTestClient::post_json(const std::string& target, const boost::json::value& body,
                                   const Headers& headers) {
  return post(target, boost::json::serialize(body), headers);
}

Response HttpTestClient::read_response(bool head) {
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(boost::none);
  // HEAD replies carry a Content-Length but no body.
  parser.skip(head);
  beast_http::read(socket_, buffer_, parser);
  return parser.release();
}

std::vector<std::string> HttpTestClient::read_first_lines(const std::string& target,
                                                          const boost::json::value& body,
                                                          std::size_t lines) {
  beast_http::request<beast_http::string_body> request{beast_http::verb::post, target, 11};
  request.set(beast_http::field::host, "127.0.0.1");
  request.body() = boost::json::serialize(body);
  request.prepare_payload();
  beast_http::write(socket_, request);
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(boost::none);
  while (true) {
    beast_http::read_some(socket_, buffer_, parser);
    const std::string& text = parser.get().body();
    std::vector<std::string> found;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line) && !stream.eof();) found.push_back(line);
    if (found.size() >= lines || parser.is_done()) return found;
  }
}

Response HttpTestClient::raw(const std::string& bytes) {
  asio::write(socket_, asio::buffer(bytes));
  return read_response();
}

void HttpTestClient::close() {
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

bool HttpTestClient::server_closed() {
  char byte = 0;
  boost::system::error_code error;
  const std::size_t read = socket_.read_some(asio::buffer(&byte, 1), error);
  return read == 0 && (error == asio::error::eof || error == asio::error::connection_reset);
}

std::vector<boost::json::value> ndjson_lines(const std::string& body) {
  std::vector<boost::json::value> values;
  std::istringstream stream(body);
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) values.push_back(boost::json::parse(line));
  }
  return values;
}

boost::json::value json_body(const Response& response) {
  try {
    return boost::json::parse(response.body());
  } catch (const std::exception& error) {
    throw std::runtime_error("not JSON (" + std::string(error.what()) + "): " + response.body());
  }
}

}  // namespace seer::http::test
