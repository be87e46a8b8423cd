#include "server_stream.hpp"

namespace seer::http {

ServerStream::ServerStream(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls)
    : stream_(tls == nullptr
                  ? std::variant<Plain, Tls>(std::in_place_type<Plain>, std::move(socket))
                  : std::variant<Plain, Tls>(std::in_place_type<Tls>, Plain(std::move(socket)),
                                             *tls)) {}

boost::beast::tcp_stream& ServerStream::tcp() {
  return std::visit(
      [](auto& stream) -> boost::beast::tcp_stream& {
        return boost::beast::get_lowest_layer(stream);
      },
      stream_);
}

std::string ServerStream::remote() {
  boost::beast::error_code error;
  const auto endpoint = tcp().socket().remote_endpoint(error);
  if (error) return "unknown";
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

}  // namespace seer::http
