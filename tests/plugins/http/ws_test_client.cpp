#include "ws_test_client.hpp"

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>
#include <sys/time.h>

namespace seer::http::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

namespace {

void connect(asio::ip::tcp::socket& socket, std::uint16_t port, int receive_buffer) {
  socket.open(asio::ip::tcp::v4());
  if (receive_buffer > 0) {
    socket.set_option(asio::socket_base::receive_buffer_size(receive_buffer));
  }
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  // Every read gives up after 10 s: an upper bound, so a broken server fails the test.
  timeval timeout{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

auto decorate(const std::map<std::string, std::string>& headers) {
  return websocket::stream_base::decorator([headers](websocket::request_type& request) {
    for (const auto& [name, value] : headers) request.set(name, value);
  });
}

}  // namespace

WsTestClient::WsTestClient(std::uint16_t port, const std::map<std::string, std::string>& headers,
                           int receive_buffer)
    : ws_(io_) {
  connect(ws_.next_layer(), port, receive_buffer);
  ws_.set_option(decorate(headers));
  ws_.read_message_max(0);
  ws_.handshake("127.0.0.1", "/ws");
}

WsTestClient::~WsTestClient() {
  beast::error_code ignored;
  ws_.next_layer().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  ws_.next_layer().close(ignored);
}

void WsTestClient::send(const json::value& message) { send_text(json::serialize(message)); }

void WsTestClient::send_text(const std::string& text) {
  ws_.text(true);
  ws_.write(asio::buffer(text));
}

json::value WsTestClient::receive() {
  buffer_.clear();
  beast::error_code error;
  ws_.read(buffer_, error);
  if (error == websocket::error::closed) close_code_ = ws_.reason().code;
  if (error) throw boost::system::system_error(error);
  return json::parse(beast::buffers_to_string(buffer_.data()));
}

json::value WsTestClient::receive_until(std::string_view type, const json::value& id) {
  while (true) {
    json::value frame = receive();
    const json::value& frame_type = frame.at("type");
    const bool match = frame_type.is_string() && frame_type.get_string() == type &&
                       (id.is_null() || (frame.as_object().contains("id") && frame.at("id") == id));
    if (match) return frame;
    skipped.push_back(std::move(frame));
  }
}

std::optional<std::uint16_t> WsTestClient::read_until_closed() {
  while (true) {
    buffer_.clear();
    beast::error_code error;
    ws_.read(buffer_, error);
    if (error == websocket::error::closed) return close_code_ = ws_.reason().code;
    if (error) return std::nullopt;
  }
}

unsigned refused_upgrade_status(std::uint16_t port,
                                const std::map<std::string, std::string>& headers) {
  asio::io_context io;
  websocket::stream<asio::ip::tcp::socket> ws(io);
  connect(ws.next_layer(), port, 0);
  ws.set_option(decorate(headers));
  websocket::response_type response;
  beast::error_code error;
  ws.handshake(response, "127.0.0.1", "/ws", error);
  return error ? response.result_int() : 0;
}

}  // namespace seer::http::test
