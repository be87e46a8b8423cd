#pragma once
// One request and its reply, as route handlers see it. A handler answers at once on the I/O
// thread or later from a worker; every method may be called from any thread, and what it
// sends is handed to the connection, which writes it on its own strand.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seer::http {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpStatus = boost::beast::http::status;

// Header fields a reply carries besides those the connection sets (CORS, cache control).
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

// What the connection writes next: a whole response, or the pieces of a streamed one.
struct ReplyPart {
  enum class Kind { whole, stream_head, chunk, stream_end };
  Kind kind = Kind::whole;
  HttpStatus status = HttpStatus::ok;
  std::string content_type;  // none when empty (a 204)
  std::string body;
  HeaderFields headers;  // for whole and stream_head
};

class HttpExchange {
 public:
  using Deliver = std::function<void(ReplyPart)>;

  HttpExchange(HttpRequest request, std::uint64_t id, Deliver deliver,
               std::size_t unsent_limit = 1u << 20);

  const HttpRequest& request() const { return request_; }
  std::uint64_t id() const { return id_; }
  std::chrono::steady_clock::time_point received_at() const { return received_at_; }
  // Stopped when the client goes away or the server stops: generations watch it.
  std::stop_token cancellation() const { return stop_.get_token(); }

  // Adds a header field to the reply, when called before it begins.
  void add_header(std::string name, std::string value);

  // Replies in one piece; ignored once a reply has begun.
  void respond(HttpStatus status, std::string_view content_type, std::string body);
  void respond_json(HttpStatus status, const boost::json::value& body);
  // {"error": message}, the shape every Ollama error has.
  void respond_error(HttpStatus status, std::string_view message);

  // Starts a 200 reply whose body follows in chunks.
  void begin_stream(std::string_view content_type);
  // Sends one chunk, first waiting while more than the unsent limit is queued (a slow
  // client slows the generation instead of growing memory). False when the client is gone.
  bool write(std::string chunk);
  void finish_stream();

  bool replied() const;
  bool streaming() const;
  HttpStatus status() const;

  // From the connection: the client left or the server stops.
  void cancel();
  // From the connection: `bytes` of chunks reached the socket.
  void sent(std::size_t bytes);

 private:
  HttpRequest request_;
  std::uint64_t id_;
  Deliver deliver_;
  std::size_t unsent_limit_;
  std::chrono::steady_clock::time_point received_at_ = std::chrono::steady_clock::now();
  std::stop_source stop_;

  mutable std::mutex mutex_;
  std::condition_variable_any drained_;
  std::size_t unsent_ = 0;
  bool replied_ = false;
  bool streaming_ = false;
  bool finished_ = false;
  HttpStatus status_ = HttpStatus::ok;
  HeaderFields headers_;
};

}  // namespace seer::http
