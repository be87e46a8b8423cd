#pragma once
// What each chat session remembers: its past exchanges, trimmed to a token budget (oldest
// exchanges first), for a bounded number of sessions that are forgotten when idle.

#include <seer/config.hpp>
#include <seer/services/chat_model.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace seer::agents {

struct MemorySettings {
  int max_tokens = 2048;  // the history's budget in (estimated) tokens
  std::size_t max_sessions = 64;
  Duration idle_timeout = std::chrono::hours(1);
};

// Tokens a text takes, estimated without the model's tokenizer: one per 4 bytes, rounded up,
// which over-counts English for Qwen and Llama tokenizers (about 4.5 bytes a token) rather
// than under-counts it. Each message adds 4 for its role markers.
int estimate_tokens(std::string_view text);
int estimate_tokens(const ChatMessage& message);

class ConversationMemory {
 public:
  using Clock = std::chrono::steady_clock;

  explicit ConversationMemory(MemorySettings settings);

  // The session's exchanges, oldest first (empty for a new session).
  std::vector<ChatMessage> history(const std::string& session) const;
  // Appends one exchange, then drops the oldest exchanges until the history fits the budget
  // (the newest exchange always stays). Evicts idle sessions and, beyond max_sessions, the
  // least recently used one.
  void remember(const std::string& session, ChatMessage user, ChatMessage assistant);
  void forget(const std::string& session);

  std::size_t session_count() const;
  int tokens(const std::string& session) const;

  // For tests: what "now" is.
  void set_clock_for_testing(std::function<Clock::time_point()> now) { now_ = std::move(now); }

 private:
  struct Exchange {
    ChatMessage user;
    ChatMessage assistant;
    int tokens = 0;
  };
  struct Session {
    std::deque<Exchange> exchanges;
    int tokens = 0;
    Clock::time_point last_used;
  };
  void evict(Clock::time_point now);

  MemorySettings settings_;
  std::function<Clock::time_point()> now_ = [] { return Clock::now(); };
  mutable std::mutex mutex_;
  std::map<std::string, Session, std::less<>> sessions_;
};

}  // namespace seer::agents
