#include "ollama_chat_model.hpp"

#include "chat_request_body.hpp"
#include "chat_stream_reader.hpp"
#include "ollama_exchange.hpp"
#include "server_connection.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <stdexcept>

namespace seer::ollama {
namespace {

using Clock = ServerConnection::Clock;
using Failure = TransportError::Failure;

// How far the reply got, for the messages of requests that fail half-way.
std::string progress(const GenerationResult& result) {
  if (result.text.empty()) return "";
  return " after streaming " + std::to_string(result.text.size()) + " bytes of the reply";
}

// Where a request was when it failed: what a timeout means depends on it.
enum class Phase { connecting, loading, streaming };

std::string transport_failure(const TransportError& error, Phase phase,
                              const OllamaSettings& settings) {
  switch (error.failure()) {
    case Failure::timed_out:
      if (phase == Phase::connecting) {
        return "no connection within connect_timeout (" + describe(settings.connect_timeout) + ")";
      }
      if (phase == Phase::loading) {
        return "no reply from model '" + settings.model + "' within load_timeout (" +
               describe(settings.load_timeout) + "); it may still be loading: raise load_timeout";
      }
      return "the reply stalled for longer than read_timeout (" + describe(settings.read_timeout) +
             ")";
    case Failure::closed:
      return "the server closed the connection before the reply was complete";
    case Failure::failed:
    case Failure::cancelled:
      break;
  }
  if (phase == Phase::connecting) {
    return "cannot connect: " + std::string(error.what()) + " (is the Ollama server running?)";
  }
  return error.what();
}

GenerationResult cancelled(GenerationResult result) {
  result.done_reason = "cancelled";
  return result;
}

}  // namespace

OllamaChatModel::OllamaChatModel(OllamaSettings settings) : settings_(std::move(settings)) {
  info_ = {.model = settings_.model, .vision = true, .tools = true, .thinking = settings_.think};
}

ChatModelInfo OllamaChatModel::info() const {
  std::lock_guard lock(mutex_);
  return info_;
}

void OllamaChatModel::set_outcome_listener(OutcomeListener listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
}

void OllamaChatModel::report(const std::string& failure) {
  std::lock_guard lock(mutex_);
  if (listener_) listener_(failure);
}

GenerationResult OllamaChatModel::chat(const ChatRequest& request, const TokenCallback& on_piece,
                                       std::stop_token cancel) {
  try {
    GenerationResult result = stream_chat(request, on_piece, std::move(cancel));
    if (result.done_reason != "cancelled") report("");
    return result;
  } catch (const std::invalid_argument&) {
    throw;  // the caller's request was wrong, not the server
  } catch (const std::exception& error) {
    report(error.what());
    throw;
  }
}

GenerationResult OllamaChatModel::stream_chat(const ChatRequest& request,
                                              const TokenCallback& on_piece,
                                              std::stop_token cancel) {
  auto http_request = json_post(settings_, "/api/chat", chat_request_body(request, settings_));
  ServerConnection connection(settings_.server, cancel);
  ChatStreamReader reader(on_piece);
  Phase phase = Phase::connecting;
  try {
    connection.connect(Clock::now() + settings_.connect_timeout);
    phase = Phase::loading;
    const auto load_deadline = Clock::now() + settings_.load_timeout;
    connection.send(http_request, load_deadline);
    const unsigned status = connection.read_header(load_deadline);
    expect_success(connection, status, settings_, Clock::now() + settings_.read_timeout);
    std::string bytes;
    while (!reader.done()) {
      phase = reader.chunks() == 0 ? Phase::loading : Phase::streaming;
      const auto deadline =
          phase == Phase::loading ? load_deadline : Clock::now() + settings_.read_timeout;
      bytes.clear();
      if (!connection.read_body(bytes, deadline)) {
        if (!reader.finish()) return cancelled(std::move(reader.result()));
        break;
      }
      if (!reader.feed(bytes)) return cancelled(std::move(reader.result()));
    }
  } catch (const TransportError& error) {
    if (error.failure() == Failure::cancelled) return cancelled(std::move(reader.result()));
    throw std::runtime_error(server_prefix(settings_) + transport_failure(error, phase, settings_) +
                             progress(reader.result()));
  } catch (const StreamError& error) {
    throw std::runtime_error(server_prefix(settings_) + error.what() + progress(reader.result()));
  }
  if (!reader.done()) {
    throw std::runtime_error(server_prefix(settings_) + "the reply ended without its final chunk" +
                             progress(reader.result()));
  }
  return std::move(reader.result());
}

void OllamaChatModel::learn_capabilities(std::stop_token cancel) {
  auto request = json_post(settings_, "/api/show", {{"model", settings_.model}});
  ServerConnection connection(settings_.server, cancel);
  std::string body;
  try {
    connection.connect(Clock::now() + settings_.connect_timeout);
    const auto deadline = Clock::now() + settings_.read_timeout;
    connection.send(request, deadline);
    expect_success(connection, connection.read_header(deadline), settings_, deadline);
    while (connection.read_body(body, deadline)) {
    }
  } catch (const TransportError& error) {
    throw std::runtime_error(server_prefix(settings_) + "cannot ask about model '" +
                             settings_.model + "': " + error.what());
  }
  boost::system::error_code error;
  const boost::json::value show = boost::json::parse(body, error);
  const boost::json::value* capabilities =
      !error && show.is_object() ? show.get_object().if_contains("capabilities") : nullptr;
  // Servers older than the capabilities list say nothing: keep the assumptions.
  if (capabilities == nullptr || !capabilities->is_array()) return;
  const auto has = [&](std::string_view name) {
    const auto& list = capabilities->get_array();
    return std::any_of(list.begin(), list.end(), [&](const boost::json::value& item) {
      return item.is_string() && item.get_string() == name;
    });
  };
  std::lock_guard lock(mutex_);
  info_.vision = has("vision");
  info_.tools = has("tools");
  info_.thinking = has("thinking");
}

}  // namespace seer::ollama
