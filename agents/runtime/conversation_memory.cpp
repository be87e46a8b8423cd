#include <seer/agents/conversation_memory.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace seer::agents {
namespace {

constexpr int kBytesPerToken = 4;
constexpr int kMessageOverhead = 4;

}  // namespace

int estimate_tokens(std::string_view text) {
  return static_cast<int>((text.size() + kBytesPerToken - 1) / kBytesPerToken);
}

int estimate_tokens(const ChatMessage& message) {
  int tokens = kMessageOverhead + estimate_tokens(message.content);
  for (const ToolCall& call : message.tool_calls) {
    tokens += estimate_tokens(call.name) + estimate_tokens(boost::json::serialize(call.arguments));
  }
  return tokens;
}

ConversationMemory::ConversationMemory(MemorySettings settings) : settings_(settings) {}

std::vector<ChatMessage> ConversationMemory::history(const std::string& session) const {
  const std::lock_guard lock(mutex_);
  std::vector<ChatMessage> messages;
  const auto found = sessions_.find(session);
  if (found == sessions_.end()) return messages;
  for (const Exchange& exchange : found->second.exchanges) {
    messages.push_back(exchange.user);
    messages.push_back(exchange.assistant);
  }
  return messages;
}

void ConversationMemory::remember(const std::string& session, ChatMessage user,
                                  ChatMessage assistant) {
  const std::lock_guard lock(mutex_);
  const Clock::time_point now = now_();
  Session& entry = sessions_[session];
  entry.last_used = now;
  // Pictures the user sent are not kept: the next turn's observation block says what is seen.
  user.images.clear();
  const int tokens = estimate_tokens(user) + estimate_tokens(assistant);
  entry.exchanges.push_back({std::move(user), std::move(assistant), tokens});
  entry.tokens += tokens;
  while (entry.exchanges.size() > 1 && entry.tokens > settings_.max_tokens) {
    entry.tokens -= entry.exchanges.front().tokens;
    entry.exchanges.pop_front();
  }
  evict(now);
}

void ConversationMemory::forget(const std::string& session) {
  const std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::size_t ConversationMemory::session_count() const {
  const std::lock_guard lock(mutex_);
  return sessions_.size();
}

int ConversationMemory::tokens(const std::string& session) const {
  const std::lock_guard lock(mutex_);
  const auto found = sessions_.find(session);
  return found == sessions_.end() ? 0 : found->second.tokens;
}

void ConversationMemory::evict(Clock::time_point now) {
  std::erase_if(sessions_, [&](const auto& entry) {
    return now - entry.second.last_used > settings_.idle_timeout;
  });
  while (sessions_.size() > settings_.max_sessions) {
    const auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
    sessions_.erase(oldest);
  }
}

}  // namespace seer::agents
