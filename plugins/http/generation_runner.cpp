#include "generation_runner.hpp"

#include "base64_image.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>

#include <exception>

namespace seer::http {
namespace json = boost::json;

namespace {

constexpr std::string_view kSessionHeader = "X-Seer-Session";
// Shared by the Ollama and OpenAI APIs: their clients send no session of their own.
constexpr std::string_view kDefaultSession = "ollama";

// The turn an agent takes from a chat: the last user message with its images. The agent keeps
// her own memory per session, so earlier messages are not replayed.
AgentTurn agent_turn(const GenerationCall& call, OllamaEndpoint endpoint,
                     const HttpExchange& exchange) {
  AgentTurn turn;
  const std::string_view session = exchange.request()[kSessionHeader];
  turn.session = session.empty() ? std::string(kDefaultSession) : std::string(session);
  if (call.has_options || call.chat.options.think) turn.options = call.chat.options;
  if (endpoint == OllamaEndpoint::generate) {
    turn.text = call.prompt;
    turn.images = call.images;
    return turn;
  }
  for (auto message = call.chat.messages.rbegin(); message != call.chat.messages.rend();
       ++message) {
    if (message->role == "user") {
      turn.text = message->content;
      turn.images = message->images;
      return turn;
    }
  }
  throw BadRequest("a chat with an agent needs a user message");
}

json::object agent_extension(const AgentReply& reply) {
  json::object extension;
  if (!reply.vision_report.is_null()) extension["vision_report"] = reply.vision_report;
  if (!reply.actions.empty()) {
    json::array actions;
    for (const AgentAction& action : reply.actions) {
      actions.push_back(json::object{
          {"tool", action.tool}, {"arguments", action.arguments}, {"result", action.result}});
    }
    extension["actions"] = std::move(actions);
  }
  return extension;
}

}  // namespace

void run_generation(const CatalogModel& model, const GenerationCall& call, OllamaEndpoint endpoint,
                    GenerationReply& reply, const HttpExchange& exchange, HttpMetrics* metrics) {
  const std::stop_token cancel = exchange.cancellation();
  const TokenCallback on_piece = [&reply](std::string_view piece) { return reply.piece(piece); };
  const auto done = [&](const GenerationResult& result, json::object extension) {
    if (metrics != nullptr) metrics->record_generation(model.name, result);
    reply.done(result, std::move(extension));
  };
  try {
    if (model.is_agent()) {
      const AgentReply answer =
          model.agent->say(agent_turn(call, endpoint, exchange), on_piece, cancel);
      done(answer.result, agent_extension(answer));
    } else if (model.vision &&
               (!model.chat || (endpoint == OllamaEndpoint::generate && !call.images.empty()))) {
      const VisionRequest request{
          .images = call.images, .prompt = call.prompt, .options = call.chat.options};
      const GenerationResult result = model.vision->generate(request, on_piece, cancel);
      // A vision request carries no keep_alive of its own.
      if (model.residency && call.chat.keep_alive) {
        model.residency->keep_alive(*call.chat.keep_alive);
      }
      done(result, {});
    } else {
      done(model.chat->chat(call.chat, on_piece, cancel), {});
    }
  } catch (const BadRequest& error) {
    reply.fail(HttpStatus::bad_request, error.what());
  } catch (const std::exception& error) {
    // A client that left needs no answer; the backend's failure is the server's.
    if (!cancel.stop_requested()) reply.fail(HttpStatus::internal_server_error, error.what());
  }
}

}  // namespace seer::http
