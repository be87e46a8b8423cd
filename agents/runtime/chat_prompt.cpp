#include <seer/agents/chat_prompt.hpp>

namespace seer::agents {

std::vector<ChatMessage> chat_messages(const ChatPrompt& prompt) {
  std::vector<ChatMessage> messages;
  messages.push_back({.role = "system", .content = prompt.persona});
  messages.insert(messages.end(), prompt.history.begin(), prompt.history.end());
  // Just before the user's words: the freshest context, and the history before it stays an
  // unchanged prefix from turn to turn (servers that cache prompts reuse it).
  if (prompt.observation) messages.push_back({.role = "system", .content = *prompt.observation});
  if (!prompt.notes.empty()) {
    std::string notes;
    for (const std::string& note : prompt.notes) notes += note + "\n";
    messages.push_back({.role = "system", .content = std::move(notes)});
  }
  messages.push_back(prompt.user);
  messages.insert(messages.end(), prompt.tool_rounds.begin(), prompt.tool_rounds.end());
  return messages;
}

}  // namespace seer::agents
