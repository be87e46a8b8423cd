#pragma once
#include <seer/config.hpp>
#include <seer/image.hpp>
#include <seer/services/generation.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace seer {

struct ChatMessage {
  std::string role;  // "system", "user", "assistant", "tool"
  std::string content;
  std::vector<Image> images;
  std::vector<ToolCall> tool_calls;  // what an assistant message asked to call
  std::string tool_name;             // for role "tool": whose result this is
};

// A function offered to the model, described the way Ollama's and OpenAI's `tools` are.
struct ToolDefinition {
  std::string name;
  std::string description;
  boost::json::object parameters;  // a JSON schema of the arguments object
};

struct ChatRequest {
  std::string model;  // the model to ask for; empty: the backend's configured one
  std::vector<ChatMessage> messages;
  GenerationOptions options;
  std::vector<ToolDefinition> tools;
  std::string format;  // "" (free text) or "json"
  // How long the backend should keep the model loaded afterwards: negative = for ever,
  // zero = unload now; absent = the backend's default.
  std::optional<Duration> keep_alive;
};

// What a chat model can do, for clients that ask (Ollama's /api/show capabilities).
struct ChatModelInfo {
  std::string model;  // the name the backend knows it by
  bool vision = false;
  bool tools = false;
  bool thinking = false;
};

class ChatModel {
 public:
  static constexpr std::string_view interface_id = "seer.chat_model/2";
  virtual ~ChatModel() = default;
  virtual ChatModelInfo info() const = 0;
  // Streams the reply's text through `on_piece`. Throws std::runtime_error when the backend
  // fails (unreachable, model missing, broken stream) with a message naming it.
  virtual GenerationResult chat(const ChatRequest& request, const TokenCallback& on_piece,
                                std::stop_token cancel) = 0;
};

}  // namespace seer
