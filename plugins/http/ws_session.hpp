#pragma once
// One WebSocket client on /ws: reads its JSON messages (docs/protocol-websocket.md) on the
// connection's strand, runs its chats and looks on the plugin's GenerationPool, and writes
// every frame through one send queue with a byte limit: a client that stops reading and lets
// the queue overflow is dropped, so it never holds up the generations or other clients.

#include "cors_policy.hpp"
#include "generation_pool.hpp"
#include "http_exchange.hpp"
#include "http_metrics.hpp"
#include "http_settings.hpp"
#include "server_stream.hpp"
#include "ws_protocol.hpp"

#include <seer/config.hpp>
#include <seer/service_registry.hpp>

#include <spdlog/logger.h>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

namespace seer::http {

// What every session shares.
struct WsContext {
  std::size_t max_message = 0;  // ws_max_message
  std::size_t send_queue = 0;   // ws_send_queue
  Duration hello_timeout;       // an unauthenticated client must say hello within it
  Secret token;                 // empty: no authentication
  CorsPolicy origins;           // browser origins other than the server's own that may connect
  const ServiceRegistry* registry = nullptr;
  std::shared_ptr<GenerationPool> pool;
  std::shared_ptr<spdlog::logger> log;
  std::string server;                    // "seer 0.1.0", for the welcome
  std::shared_ptr<HttpMetrics> metrics;  // optional: counts each chat's tokens and time
};

using WsFrame = std::shared_ptr<const std::string>;

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  // `stream` (TLS or not, whose executor is a strand) carried the upgrade request;
  // `authenticated` when the token was not needed or came in its Authorization header.
  WsSession(ServerStream stream, std::shared_ptr<const WsContext> context, bool authenticated);

  // Answers the upgrade and starts reading messages.
  void start(const HttpRequest& upgrade);
  // From any thread: cancels the session's work and closes with `code`.
  void close(boost::beast::websocket::close_code code, std::string reason);
  // From any thread: sends `frame` when the client subscribed to `event` of `agent`.
  void offer_event(std::string_view event, std::string_view agent, const WsFrame& frame);
  // True once the connection is closed (or never opened).
  bool finished() const { return finished_.load(); }

 private:
  enum class State { handshake, open, draining, closing, closed };

  // A chat or look in progress, cancelled through its stop source.
  struct Call {
    boost::json::value id;
    bool chat = false;
    std::shared_ptr<std::stop_source> stop;
  };

  void on_accepted(boost::beast::error_code error);
  void read_next();
  void on_read(boost::beast::error_code error);
  void handle(std::string_view text);
  void handle_message(const WsClientMessage& message);
  void on_hello(const WsClientMessage& message);
  void on_chat(const WsClientMessage& message);
  void on_look(const WsClientMessage& message);
  void on_cancel(const WsClientMessage& message);
  void on_subscription(const WsClientMessage& message, bool subscribe);
  std::string agent_name(const std::string& named, const boost::json::value& id) const;
  void submit(Call call, std::function<void()> job);
  // From a worker: the call's last frame, sent after it has left the calls in progress.
  void finish_call(boost::json::value id, std::string frame);
  void refuse(WsErrorCode code, std::string_view message);

  // From another thread (a worker): the frame is queued on the strand, after what the same
  // thread sent before.
  void send(std::string frame);
  // On the strand: queues a frame, counting its bytes against the queue's limit.
  void reply(std::string frame);
  void push(WsFrame frame);
  void write_next();
  void on_written(boost::beast::error_code error);
  // Sends what is queued, then closes.
  void close_after_queue(boost::beast::websocket::close_code code, std::string reason);
  void begin_close(boost::beast::websocket::close_code code, std::string reason);
  void finish(std::string_view why);
  void cancel_calls();

  boost::beast::websocket::stream<ServerStream> ws_;
  std::shared_ptr<const WsContext> context_;
  boost::asio::steady_timer deadline_;  // the hello deadline, then the close's
  boost::beast::flat_buffer incoming_;
  std::string remote_;

  // On the strand.
  State state_ = State::handshake;
  std::string session_;
  std::string agent_;          // the default agent, from hello; empty: the first registered
  bool hello_allowed_ = true;  // until a hello is taken or another message handled
  std::vector<Call> calls_;
  std::deque<WsFrame> outgoing_;
  WsFrame writing_;               // the frame being written, kept alive for the write
  std::size_t queued_bytes_ = 0;  // queued and being written
  boost::beast::websocket::close_code pending_close_code_{};
  std::string pending_close_reason_;

  // Read from other threads.
  std::atomic<bool> authenticated_;
  std::atomic<bool> finished_{false};
  std::mutex subscriptions_mutex_;
  std::set<std::pair<std::string, std::string>> subscriptions_;  // (event, agent or "")
};

}  // namespace seer::http
