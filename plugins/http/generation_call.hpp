#pragma once
// One generation as the workers run it, whichever API asked for it: the chat request a chat
// model takes, and what Ollama's /api/generate adds (a prompt and images for a vision model).

#include <seer/image.hpp>
#include <seer/services/chat_model.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace seer::http {

// The shape of a call: a chat (messages; Ollama's /api/chat and OpenAI's chat completions) or
// a completion (a prompt and images; Ollama's /api/generate).
enum class OllamaEndpoint { chat, generate };

struct GenerationCall {
  std::string model;
  bool stream = true;
  // Messages (for /api/generate: the system prompt and one user message), options, tools,
  // format and keep_alive, as a chat model takes them.
  ChatRequest chat;
  bool has_options = false;  // the client sent options (agents keep their own otherwise)
  // /api/generate's own fields.
  std::string prompt;
  std::vector<Image> images;

  // Nothing to generate: no messages but system ones (or generate with an empty prompt).
  bool load_only() const {
    return std::ranges::all_of(chat.messages,
                               [](const ChatMessage& message) { return message.role == "system"; });
  }
};

}  // namespace seer::http
