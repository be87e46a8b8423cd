#include "tls_test_client.hpp"

#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <sstream>

namespace seer::http::test {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace beast_http = beast::http;
namespace json = boost::json;

namespace {

// Trusts the test CA only, and checks the certificate's name as browsers do.
ssl::context client_tls() {
  ssl::context context(ssl::context::tls_client);
  context.load_verify_file(tls_file("ca.pem"));
  context.set_verify_mode(ssl::verify_peer);
  return context;
}

void connect(ssl::stream<asio::ip::tcp::socket>& stream, std::uint16_t port) {
  auto& socket = stream.next_layer();
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  // Every read gives up after 10 s: an upper bound, so a broken server fails the test.
  timeval timeout{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  stream.handshake(ssl::stream_base::client);
}

}  // namespace

std::string tls_file(const std::string& name) {
  return std::string(SEER_SOURCE_DIR) + "/tests/plugins/http/tls/" + name;
}

HttpsTestClient::HttpsTestClient(std::uint16_t port) : tls_(client_tls()), stream_(io_, tls_) {
  connect(stream_, port);
}

HttpsTestClient::~HttpsTestClient() { drop(); }

Response HttpsTestClient::request(beast_http::verb method, const std::string& target,
                                  const std::string& body, const Headers& headers) {
  beast_http::request<beast_http::string_body> request{method, target, 11};
  request.set(beast_http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty()) {
    request.set(beast_http::field::content_type, "application/json");
    request.body() = body;
  }
  request.prepare_payload();
  beast_http::write(stream_, request);
  return read_response();
}

Response HttpsTestClient::post_json(const std::string& target, const json::value& body,
                                    const Headers& headers) {
  return request(beast_http::verb::post, target, json::serialize(body), headers);
}

std::vector<std::string> HttpsTestClient::read_first_lines(const std::string& target,
                                                           const json::value& body,
                                                           std::size_t lines) {
  beast_http::request<beast_http::string_body> request{beast_http::verb::post, target, 11};
  request.set(beast_http::field::host, "127.0.0.1");
  request.body() = json::serialize(body);
  request.prepare_payload();
  beast_http::write(stream_, request);
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(boost::none);
  while (true) {
    beast_http::read_some(stream_, buffer_, parser);
    std::vector<std::string> found;
    std::istringstream text(parser.get().body());
    for (std::string line; std::getline(text, line) && !text.eof();) found.push_back(line);
    if (found.size() >= lines || parser.is_done()) return found;
  }
}

Response HttpsTestClient::raw(const std::string& bytes) {
  write(bytes);
  return read_response();
}

void HttpsTestClient::write(const std::string& bytes) { asio::write(stream_, asio::buffer(bytes)); }

Response HttpsTestClient::read_response() {
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(boost::none);
  beast_http::read(stream_, buffer_, parser);
  return parser.release();
}

boost::system::error_code HttpsTestClient::read_until_closed() {
  char bytes[4096];
  boost::system::error_code error;
  while (!error) stream_.read_some(asio::buffer(bytes), error);
  return error;
}

void HttpsTestClient::drop() {
  boost::system::error_code ignored;
  stream_.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.next_layer().close(ignored);
}

WssTestClient::WssTestClient(std::uint16_t port, const Headers& headers)
    : tls_(client_tls()), ws_(io_, tls_) {
  connect(ws_.next_layer(), port);
  ws_.set_option(
      beast::websocket::stream_base::decorator([headers](beast::websocket::request_type& request) {
        for (const auto& [name, value] : headers) request.set(name, value);
      }));
  ws_.read_message_max(0);
  ws_.handshake("127.0.0.1", "/ws");
}

void WssTestClient::send(const json::value& message) {
  ws_.text(true);
  ws_.write(asio::buffer(json::serialize(message)));
}

json::value WssTestClient::receive() {
  buffer_.clear();
  ws_.read(buffer_);
  return json::parse(beast::buffers_to_string(buffer_.data()));
}

json::value WssTestClient::receive_until(std::string_view type) {
  while (true) {
    json::value frame = receive();
    if (frame.at("type").as_string() == type) return frame;
  }
}

void WssTestClient::close() { ws_.close(beast::websocket::close_code::normal); }

}  // namespace seer::http::test
