#pragma once
// An agent as a service: a character with a persona, a chat model, eyes (the vision report)
// and hands (tools). Servers (HTTP, WebSocket) and the `seer agent` command talk to agents
// through this interface only.

#include <seer/image.hpp>
#include <seer/services/generation.hpp>

#include <boost/json/value.hpp>

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace seer {

struct AgentTurn {
  std::string session;  // whose conversation memory this turn belongs to
  std::string text;
  std::vector<Image> images;                 // pictures the user sends with the text
  std::optional<GenerationOptions> options;  // absent: the agent's own
};

// A tool the agent ran during a turn, for clients that show what she did.
struct AgentAction {
  std::string tool;
  boost::json::object arguments;
  boost::json::value result;  // what the tool returned, or {"error": "..."}
};

struct AgentReply {
  GenerationResult result;
  boost::json::value vision_report;  // the report this turn took, null when it took none
  std::vector<AgentAction> actions;
};

class Agent {
 public:
  static constexpr std::string_view interface_id = "seer.agent/1";
  virtual ~Agent() = default;
  virtual std::string name() const = 0;
  // One turn: triggers and phrase intents first, then the chat model with tools; the reply's
  // text is streamed through `on_piece`. Throws std::runtime_error when the chat model fails.
  virtual AgentReply say(const AgentTurn& turn, const TokenCallback& on_piece,
                         std::stop_token cancel) = 0;
  // A fresh vision report (the JSON of `seer report`), which also becomes the observation the
  // next turn of every session sees.
  virtual boost::json::value look(std::stop_token cancel) = 0;
  // Drops a session's conversation memory.
  virtual void forget(const std::string& session) = 0;
};

}  // namespace seer
