#pragma once
// The messages one chat turn sends: the persona, the remembered exchanges, the observation
// block (the latest vision report with its age, in one place only), notes about what the
// agent just did, and the user's message.

#include <seer/services/chat_model.hpp>

#include <optional>
#include <string>
#include <vector>

namespace seer::agents {

struct ChatPrompt {
  std::string persona;
  std::vector<ChatMessage> history;
  std::optional<std::string> observation;
  std::vector<std::string> notes;  // e.g. "You have just switched the desk lamp on."
  ChatMessage user;
  std::vector<ChatMessage> tool_rounds;  // this turn's tool calls and their results
};

// [system persona] history… [system observation] [system notes] user tool_rounds…
std::vector<ChatMessage> chat_messages(const ChatPrompt& prompt);

}  // namespace seer::agents
