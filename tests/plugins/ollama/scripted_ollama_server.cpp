#include "scripted_ollama_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace seer::ollama::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

struct ScriptedOllamaServer::Shared {
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::map<std::string, std::deque<ScriptedReply>> replies;
  std::vector<RecordedRequest> requests;
  std::vector<std::weak_ptr<tcp::socket>> sockets;  // to close them all on stop()
  std::size_t hangups = 0;

  ScriptedReply next_reply(const std::string& target) {
    std::lock_guard lock(mutex);
    auto found = replies.find(target);
    if (found == replies.end() || found->second.empty()) {
      return error_reply(404, "nothing scripted for " + target);
    }
    ScriptedReply reply = found->second.front();
    if (found->second.size() > 1) found->second.pop_front();
    return reply;
  }
};

// One connection: reads a request, records it, plays the reply scripted for its path.
class ScriptedOllamaServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Shared> shared, tcp::socket socket)
      : shared_(std::move(shared)),
        socket_(std::make_shared<tcp::socket>(std::move(socket))),
        timer_(socket_->get_executor()) {
    std::lock_guard lock(shared_->mutex);
    shared_->sockets.push_back(socket_);
  }

  void start() {
    http::async_read(*socket_, buffer_, request_,
                     [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                       if (!error) self->answer();
                     });
  }

 private:
  void answer() {
    record();
    reply_ = shared_->next_reply(std::string(request_.target()));
    // The pending read keeps the session, and so the socket, open until the server stops.
    if (reply_.silent) return watch_for_hangup();
    if (reply_.status != 200) return write_error();
    header_.result(http::status::ok);
    header_.set(http::field::content_type, "application/x-ndjson");
    header_.chunked(true);
    serializer_.emplace(header_);
    watch_for_hangup();
    http::async_write_header(
        *socket_, *serializer_,
        [self = shared_from_this()](boost::system::error_code error, std::size_t) {
          if (!error) self->next_chunk();
        });
  }

  // The client sends nothing after its request: a read completes only when it hangs up.
  void watch_for_hangup() {
    socket_->async_read_some(
        asio::buffer(&hangup_byte_, 1),
        [self = shared_from_this()](boost::system::error_code error, std::size_t) {
          if (!error || self->closing_) return;
          std::lock_guard lock(self->shared_->mutex);
          ++self->shared_->hangups;
          self->shared_->changed.notify_all();
        });
  }

  void record() {
    RecordedRequest recorded{std::string(request_.method_string()), std::string(request_.target()),
                             std::string(request_[http::field::authorization]), nullptr};
    boost::system::error_code error;
    boost::json::value body = boost::json::parse(request_.body(), error);
    if (!error) recorded.body = std::move(body);
    std::lock_guard lock(shared_->mutex);
    shared_->requests.push_back(std::move(recorded));
    shared_->changed.notify_all();
  }

  void write_error() {
    error_response_.result(reply_.status);
    error_response_.set(http::field::content_type, "application/json");
    for (const ScriptedChunk& chunk : reply_.chunks) error_response_.body() += chunk.text;
    error_response_.prepare_payload();
    http::async_write(
        *socket_, error_response_,
        [self = shared_from_this()](boost::system::error_code, std::size_t) { self->close(); });
  }

  void next_chunk() {
    if (next_ == reply_.chunks.size()) return end();
    timer_.expires_after(reply_.chunks[next_].delay);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code error) {
      if (error) return;
      const std::string& text = self->reply_.chunks[self->next_++].text;
      asio::async_write(*self->socket_, http::make_chunk(asio::buffer(text)),
                        [self](boost::system::error_code write_error, std::size_t) {
                          if (!write_error) self->next_chunk();
                        });
    });
  }

  void end() {
    switch (reply_.ending) {
      case ScriptedReply::Ending::complete:
        asio::async_write(
            *socket_, http::make_chunk_last(),
            [self = shared_from_this()](boost::system::error_code, std::size_t) { self->close(); });
        return;
      case ScriptedReply::Ending::drop:
        return close();
      case ScriptedReply::Ending::hang:
        return;
    }
  }

  void close() {
    closing_ = true;
    boost::system::error_code ignored;
    socket_->shutdown(tcp::socket::shutdown_both, ignored);
    socket_->close(ignored);
  }

  std::shared_ptr<Shared> shared_;
  std::shared_ptr<tcp::socket> socket_;
  asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  ScriptedReply reply_;
  http::response<http::empty_body> header_;
  std::optional<http::response_serializer<http::empty_body>> serializer_;
  http::response<http::string_body> error_response_;
  std::size_t next_ = 0;
  char hangup_byte_ = 0;
  bool closing_ = false;
};

ScriptedOllamaServer::ScriptedOllamaServer()
    : shared_(std::make_shared<Shared>()),
      acceptor_(io_, tcp::endpoint(asio::ip::address_v4::loopback(), 0)) {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

ScriptedOllamaServer::~ScriptedOllamaServer() { stop(); }

void ScriptedOllamaServer::script(const std::string& target, ScriptedReply reply) {
  std::lock_guard lock(shared_->mutex);
  shared_->replies[target].push_back(std::move(reply));
}

std::string ScriptedOllamaServer::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<RecordedRequest> ScriptedOllamaServer::requests() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->requests;
}

bool ScriptedOllamaServer::wait_for_requests(std::size_t count,
                                             std::chrono::milliseconds timeout) const {
  std::unique_lock lock(shared_->mutex);
  return shared_->changed.wait_for(lock, timeout,
                                   [&] { return shared_->requests.size() >= count; });
}

bool ScriptedOllamaServer::wait_for_hangups(std::size_t count,
                                            std::chrono::milliseconds timeout) const {
  std::unique_lock lock(shared_->mutex);
  return shared_->changed.wait_for(lock, timeout, [&] { return shared_->hangups >= count; });
}

void ScriptedOllamaServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
    if (error) return;
    std::make_shared<Session>(shared_, std::move(socket))->start();
    accept();
  });
}

void ScriptedOllamaServer::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    std::lock_guard lock(shared_->mutex);
    for (const auto& weak : shared_->sockets) {
      if (auto socket = weak.lock()) {
        socket->shutdown(tcp::socket::shutdown_both, ignored);
        socket->close(ignored);
      }
    }
    io_.stop();
  });
  thread_.join();
}

std::string json_line(const boost::json::object& object) {
  return boost::json::serialize(object) + "\n";
}

std::string content_line(const std::string& content, const std::string& thinking) {
  boost::json::object message{{"role", "assistant"}, {"content", content}};
  if (!thinking.empty()) message["thinking"] = thinking;
  return json_line({{"model", "scripted"},
                    {"created_at", "2026-11-24T11:00:00.000000Z"},
                    {"message", std::move(message)},
                    {"done", false}});
}

std::string final_line(const std::string& done_reason) {
  return json_line({{"model", "scripted"},
                    {"created_at", "2026-11-24T11:00:01.000000Z"},
                    {"message", {{"role", "assistant"}, {"content", ""}}},
                    {"done", true},
                    {"done_reason", done_reason},
                    {"total_duration", 900'000'000},
                    {"load_duration", 100'000'000},
                    {"prompt_eval_count", 26},
                    {"prompt_eval_duration", 200'000'000},
                    {"eval_count", 3},
                    {"eval_duration", 600'000'000}});
}

ScriptedReply streamed(std::vector<std::string> lines, std::chrono::milliseconds gap) {
  ScriptedReply reply;
  for (std::string& line : lines) reply.chunks.push_back({gap, std::move(line)});
  return reply;
}

ScriptedReply error_reply(unsigned status, const std::string& message) {
  ScriptedReply reply;
  reply.status = status;
  reply.chunks.push_back({std::chrono::milliseconds(0), json_line({{"error", message}})});
  return reply;
}

}  // namespace seer::ollama::test
