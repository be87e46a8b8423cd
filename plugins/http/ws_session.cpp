#include "ws_session.hpp"

#include "bearer_token.hpp"

#include <seer/services/agent.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace seer::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

namespace {

// Bytes read per step, so a message over the limit is refused after at most this much more.
constexpr std::size_t kReadStep = 128 * 1024;
// How long a closing handshake may take before the socket is simply closed (a client that
// stops reading never reads the close frame either).
constexpr auto kCloseGrace = std::chrono::seconds(2);

// A session id nobody else's connection will have: "ws-" and 16 random hex digits.
std::string new_session_id() {
  unsigned char bytes[8] = {};
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // The id only separates conversations; a clock-based one will do.
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    std::memcpy(bytes, &now, sizeof bytes);
  }
  std::string id = "ws-";
  for (const unsigned char byte : bytes) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", byte);
    id += hex;
  }
  return id;
}

std::string text_of(const json::value& id) {
  return id.is_string() ? std::string(id.get_string()) : json::serialize(id);
}

}  // namespace

WsSession::WsSession(ServerStream stream, std::shared_ptr<const WsContext> context,
                     bool authenticated)
    : ws_(std::move(stream)),
      context_(std::move(context)),
      deadline_(ws_.get_executor()),
      remote_(ws_.next_layer().remote()),
      session_(new_session_id()),
      authenticated_(authenticated) {}

void WsSession::start(const HttpRequest& upgrade) {
  // The websocket stream keeps its own timeouts (pings while idle).
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
    response.set(beast::http::field::server, "seer");
  }));
  // The limit is kept by on_read, which can say so in an error frame first.
  ws_.read_message_max(0);
  ws_.async_accept(
      upgrade, [self = shared_from_this()](beast::error_code error) { self->on_accepted(error); });
}

void WsSession::on_accepted(beast::error_code error) {
  if (state_ == State::closed) return;  // closed by the server during the handshake
  if (error) return finish("handshake failed: " + error.message());
  state_ = State::open;
  ws_.text(true);
  context_->log->info("ws {}: connected from {}", session_, remote_);
  if (!authenticated_) {
    deadline_.expires_after(context_->hello_timeout);
    deadline_.async_wait([self = shared_from_this()](beast::error_code wait_error) {
      if (wait_error || self->authenticated_ || self->state_ != State::open) return;
      self->refuse(WsErrorCode::unauthorized, "no hello with the token in time");
    });
  }
  read_next();
}

void WsSession::read_next() {
  ws_.async_read_some(
      incoming_, kReadStep,
      [self = shared_from_this()](beast::error_code error, std::size_t) { self->on_read(error); });
}

void WsSession::on_read(beast::error_code error) {
  if (error == websocket::error::closed) return finish("closed by the client");
  if (error) return finish(error.message());
  if (state_ != State::open) {
    // Closing: what the client still sends is read (the close frame comes after it) and dropped.
    incoming_.clear();
    return read_next();
  }
  if (incoming_.size() > context_->max_message) {
    incoming_.clear();
    reply(
        error_frame(nullptr, WsErrorCode::too_large,
                    "a message is limited to " + std::to_string(context_->max_message) + " bytes"));
    close_after_queue(websocket::close_code::too_big, "message too big");
    return read_next();
  }
  if (ws_.is_message_done()) {
    const std::string text = beast::buffers_to_string(incoming_.data());
    incoming_.clear();
    handle(text);
  }
  read_next();
}

void WsSession::handle(std::string_view text) {
  try {
    handle_message(parse_ws_message(text));
  } catch (const WsError& error) {
    reply(error_frame(error.id(), error.code(), error.what()));
  } catch (const std::exception& error) {
    reply(error_frame(nullptr, WsErrorCode::internal, error.what()));
  }
}

void WsSession::handle_message(const WsClientMessage& message) {
  if (message.type == "hello") return on_hello(message);
  hello_allowed_ = false;
  if (!authenticated_) return refuse(WsErrorCode::unauthorized, "say hello with the token first");
  if (message.type == "chat") return on_chat(message);
  if (message.type == "look") return on_look(message);
  if (message.type == "cancel") return on_cancel(message);
  if (message.type == "subscribe") return on_subscription(message, true);
  if (message.type == "unsubscribe") return on_subscription(message, false);
  if (message.type == "ping") return reply(pong_frame(message.id));
  throw WsError(WsErrorCode::unknown_type, "unknown message type '" + message.type + "'",
                message.id);
}

void WsSession::on_hello(const WsClientMessage& message) {
  const WsHello hello = read_hello(message);
  if (!hello_allowed_) {
    throw WsError(WsErrorCode::bad_message, "hello must be the first message", message.id);
  }
  if (!authenticated_) {
    if (!hello.token || !token_matches(*hello.token, context_->token.value)) {
      return refuse(WsErrorCode::unauthorized,
                    hello.token ? "wrong token" : "this server needs a token in hello");
    }
    authenticated_ = true;
    deadline_.cancel();
  }
  if (!hello.agent.empty()) agent_ = agent_name(hello.agent, message.id);
  if (!hello.session.empty()) session_ = hello.session;
  hello_allowed_ = false;
  WsWelcome welcome{.server = context_->server,
                    .session = session_,
                    .agents = context_->registry->names<Agent>(),
                    .max_message = context_->max_message};
  welcome.agent = agent_.empty() && !welcome.agents.empty() ? welcome.agents.front() : agent_;
  reply(welcome_frame(welcome));
}

std::string WsSession::agent_name(const std::string& named, const json::value& id) const {
  if (!named.empty()) {
    if (!context_->registry->find<Agent>(named)) {
      throw WsError(WsErrorCode::unknown_agent, "no agent named '" + named + "'", id);
    }
    return named;
  }
  if (!agent_.empty()) return agent_;
  const std::vector<std::string> agents = context_->registry->names<Agent>();
  if (agents.empty()) throw WsError(WsErrorCode::unknown_agent, "this server has no agents", id);
  return agents.front();
}

void WsSession::on_chat(const WsClientMessage& message) {
  WsChat chat = read_chat(message);
  if (std::ranges::any_of(calls_, [](const Call& call) { return call.chat; })) {
    throw WsError(WsErrorCode::busy, "a chat is already in progress on this connection", chat.id);
  }
  const std::string name = agent_name(chat.agent, chat.id);
  auto agent = context_->registry->find<Agent>(name);
  if (!agent) throw WsError(WsErrorCode::unknown_agent, "no agent named '" + name + "'", chat.id);
  AgentTurn turn{.session = session_,
                 .text = std::move(chat.text),
                 .images = std::move(chat.images),
                 .options = chat.options};
  Call call{.id = chat.id, .chat = true, .stop = std::make_shared<std::stop_source>()};
  const auto started = std::chrono::steady_clock::now();
  auto job = [self = shared_from_this(), agent, name, turn = std::move(turn), id = chat.id,
              stop = call.stop, started] {
    if (stop->stop_requested()) return self->finish_call(id, cancelled_frame(id));
    std::string last;
    try {
      const AgentReply reply = agent->say(
          turn,
          [&](std::string_view piece) {
            if (stop->stop_requested()) return false;
            self->send(token_frame(id, piece));
            return true;
          },
          stop->get_token());
      if (self->context_->metrics) self->context_->metrics->record_generation(name, reply.result);
      const bool cancelled = stop->stop_requested() || reply.result.done_reason == "cancelled";
      const auto total = std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::steady_clock::now() - started);
      last = done_frame(id, reply, cancelled, total.count());
    } catch (const std::exception& error) {
      last = stop->stop_requested() ? cancelled_frame(id)
                                    : error_frame(id, WsErrorCode::agent_error, error.what());
    }
    self->finish_call(id, std::move(last));
  };
  submit(std::move(call), std::move(job));
}

void WsSession::on_look(const WsClientMessage& message) {
  const WsLook look = read_look(message);
  if (std::ranges::any_of(calls_, [](const Call& call) { return !call.chat; })) {
    throw WsError(WsErrorCode::busy, "a look is already in progress on this connection", look.id);
  }
  const std::string name = agent_name(look.agent, look.id);
  auto agent = context_->registry->find<Agent>(name);
  if (!agent) throw WsError(WsErrorCode::unknown_agent, "no agent named '" + name + "'", look.id);
  Call call{.id = look.id, .chat = false, .stop = std::make_shared<std::stop_source>()};
  auto job = [self = shared_from_this(), agent, name, id = look.id, stop = call.stop] {
    std::string last;
    try {
      last = stop->stop_requested() ? error_frame(id, WsErrorCode::cancelled, "look cancelled")
                                    : report_frame(id, name, agent->look(stop->get_token()));
    } catch (const std::exception& error) {
      last = error_frame(id, WsErrorCode::agent_error, error.what());
    }
    self->finish_call(id, std::move(last));
  };
  submit(std::move(call), std::move(job));
}

void WsSession::submit(Call call, std::function<void()> job) {
  if (std::ranges::any_of(calls_, [&](const Call& other) { return other.id == call.id; })) {
    throw WsError(WsErrorCode::bad_message, "id " + text_of(call.id) + " is already in use",
                  call.id);
  }
  if (!context_->pool->submit(std::move(job))) {
    throw WsError(WsErrorCode::busy, "server busy: too many generations waiting", call.id);
  }
  calls_.push_back(std::move(call));
}

void WsSession::finish_call(json::value id, std::string frame) {
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), id = std::move(id), frame = std::move(frame)]() mutable {
               std::erase_if(self->calls_, [&](const Call& call) { return call.id == id; });
               self->reply(std::move(frame));
             });
}

void WsSession::on_cancel(const WsClientMessage& message) {
  const json::value id = read_required_id(message);
  const auto call =
      std::ranges::find_if(calls_, [&](const Call& candidate) { return candidate.id == id; });
  if (call == calls_.end()) {
    throw WsError(WsErrorCode::unknown_id, "nothing in progress has id " + text_of(id), id);
  }
  // The call's own done (or error) frame follows.
  call->stop->request_stop();
}

void WsSession::on_subscription(const WsClientMessage& message, bool subscribe) {
  const WsSubscription request = read_subscription(message, subscribe);
  std::vector<std::pair<std::string, std::string>> current;
  {
    const std::lock_guard lock(subscriptions_mutex_);
    if (subscribe) {
      for (const std::string& event : request.events) subscriptions_.emplace(event, request.agent);
    } else {
      std::erase_if(subscriptions_, [&](const auto& entry) {
        const bool event_matches =
            request.events.empty() ||
            std::ranges::find(request.events, entry.first) != request.events.end();
        return event_matches && (request.agent.empty() || request.agent == entry.second);
      });
    }
    current.assign(subscriptions_.begin(), subscriptions_.end());
  }
  reply(subscribed_frame(current));
}

void WsSession::offer_event(std::string_view event, std::string_view agent, const WsFrame& frame) {
  if (!authenticated_) return;
  {
    const std::lock_guard lock(subscriptions_mutex_);
    const bool wanted = subscriptions_.contains({std::string(event), std::string()}) ||
                        subscriptions_.contains({std::string(event), std::string(agent)});
    if (!wanted) return;
  }
  asio::post(ws_.get_executor(), [self = shared_from_this(), frame] { self->push(frame); });
}

void WsSession::refuse(WsErrorCode code, std::string_view message) {
  reply(error_frame(nullptr, code, message));
  close_after_queue(websocket::close_code::policy_error, std::string(to_string(code)));
}

void WsSession::close(websocket::close_code code, std::string reason) {
  asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
    if (self->state_ == State::handshake) return self->finish(reason);
    self->begin_close(code, reason);
  });
}

void WsSession::send(std::string frame) {
  asio::post(ws_.get_executor(),
             [self = shared_from_this(), frame = std::make_shared<const std::string>(std::move(
                                             frame))]() mutable { self->push(std::move(frame)); });
}

void WsSession::reply(std::string frame) {
  push(std::make_shared<const std::string>(std::move(frame)));
}

void WsSession::push(WsFrame frame) {
  if (state_ != State::open) return;
  queued_bytes_ += frame->size();
  if (queued_bytes_ > context_->send_queue) {
    context_->log->warn("ws {}: dropped: it stopped reading (send queue over {} bytes)", session_,
                        context_->send_queue);
    return begin_close(websocket::close_code::try_again_later, "send queue full");
  }
  outgoing_.push_back(std::move(frame));
  if (!writing_) write_next();
}

void WsSession::write_next() {
  if (outgoing_.empty()) {
    writing_.reset();
    if (state_ == State::draining) begin_close(pending_close_code_, pending_close_reason_);
    return;
  }
  writing_ = std::move(outgoing_.front());
  outgoing_.pop_front();
  ws_.async_write(asio::buffer(*writing_),
                  [self = shared_from_this()](beast::error_code error, std::size_t) {
                    self->on_written(error);
                  });
}

void WsSession::on_written(beast::error_code error) {
  queued_bytes_ -= writing_->size();
  writing_.reset();
  if (state_ == State::closing || state_ == State::closed) return;
  if (error) return finish("write failed: " + error.message());
  write_next();
}

void WsSession::close_after_queue(websocket::close_code code, std::string reason) {
  if (state_ != State::open) return;
  state_ = State::draining;
  cancel_calls();
  pending_close_code_ = code;
  pending_close_reason_ = reason;
  if (!writing_) begin_close(code, reason);
}

void WsSession::begin_close(websocket::close_code code, std::string reason) {
  if (state_ == State::closing || state_ == State::closed || state_ == State::handshake) return;
  state_ = State::closing;
  cancel_calls();
  for (const WsFrame& frame : outgoing_) queued_bytes_ -= frame->size();
  outgoing_.clear();
  context_->log->info("ws {}: closing ({})", session_, reason);
  ws_.async_close(websocket::close_reason(code, reason),
                  [self = shared_from_this()](beast::error_code) {
                    // The read loop ends when the client's close frame arrives.
                  });
  deadline_.expires_after(kCloseGrace);
  deadline_.async_wait([self = shared_from_this()](beast::error_code error) {
    if (!error && self->state_ != State::closed) self->finish("closing handshake timed out");
  });
}

void WsSession::finish(std::string_view why) {
  if (state_ == State::closed) return;
  const bool was_open = state_ != State::handshake;
  state_ = State::closed;
  cancel_calls();
  outgoing_.clear();
  deadline_.cancel();
  beast::error_code ignored;
  ws_.next_layer().tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  ws_.next_layer().tcp().close();
  finished_ = true;
  if (was_open) {
    context_->log->info("ws {}: disconnected ({})", session_, why);
  } else {
    context_->log->info("ws from {}: {}", remote_, why);
  }
}

void WsSession::cancel_calls() {
  for (const Call& call : calls_) call.stop->request_stop();
}

}  // namespace seer::http
