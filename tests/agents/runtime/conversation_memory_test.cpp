// Conversation memory: a token budget per session, idle and surplus sessions forgotten.
#include <seer/agents/conversation_memory.hpp>

#include <gtest/gtest.h>

namespace seer::agents {
namespace {

ChatMessage user(std::string text) { return {.role = "user", .content = std::move(text)}; }
ChatMessage assistant(std::string text) {
  return {.role = "assistant", .content = std::move(text)};
}

TEST(ConversationMemory, TokensAreEstimatedAtFourBytesEachPlusTheRoleMarkers) {
  EXPECT_EQ(estimate_tokens(""), 0);
  EXPECT_EQ(estimate_tokens("abcd"), 1);
  EXPECT_EQ(estimate_tokens("abcde"), 2);
  EXPECT_EQ(estimate_tokens(user(std::string(40, 'x'))), 14);
}

TEST(ConversationMemory, KeepsExchangesInOrderPerSession) {
  ConversationMemory memory({});
  memory.remember("a", user("hi"), assistant("hello"));
  memory.remember("b", user("other"), assistant("session"));
  memory.remember("a", user("how are you"), assistant("fine"));
  const auto history = memory.history("a");
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[0].content, "hi");
  EXPECT_EQ(history[1].content, "hello");
  EXPECT_EQ(history[2].content, "how are you");
  EXPECT_EQ(history[3].role, "assistant");
  EXPECT_EQ(memory.history("b").size(), 2u);
  EXPECT_TRUE(memory.history("c").empty());
}

TEST(ConversationMemory, DropsTheOldestExchangesToStayWithinTheBudget) {
  ConversationMemory memory({.max_tokens = 100});
  // Each exchange: 2 × (4 + 10) = 28 tokens; three fit in 100, the fourth pushes one out.
  for (int i = 0; i < 4; ++i) {
    memory.remember("s", user(std::to_string(i) + std::string(39, 'u')),
                    assistant(std::string(40, 'a')));
  }
  const auto history = memory.history("s");
  ASSERT_EQ(history.size(), 6u);
  EXPECT_EQ(history[0].content.front(), '1');
  EXPECT_LE(memory.tokens("s"), 100);
}

TEST(ConversationMemory, KeepsTheNewestExchangeEvenWhenItAloneIsOverBudget) {
  ConversationMemory memory({.max_tokens = 64});
  memory.remember("s", user("short"), assistant("reply"));
  memory.remember("s", user(std::string(1000, 'x')), assistant("ok"));
  ASSERT_EQ(memory.history("s").size(), 2u);
  EXPECT_EQ(memory.history("s")[1].content, "ok");
}

TEST(ConversationMemory, DoesNotKeepPicturesTheUserSent) {
  ConversationMemory memory({});
  ChatMessage with_image = user("what is this?");
  with_image.images.push_back(Image{});
  memory.remember("s", with_image, assistant("a cat"));
  EXPECT_TRUE(memory.history("s")[0].images.empty());
}

TEST(ConversationMemory, ForgetsIdleSessionsAndTheLeastRecentlyUsedBeyondTheLimit) {
  ConversationMemory memory({.max_sessions = 2, .idle_timeout = std::chrono::minutes(10)});
  auto now = ConversationMemory::Clock::now();
  memory.set_clock_for_testing([&now] { return now; });
  memory.remember("old", user("1"), assistant("1"));
  now += std::chrono::minutes(1);
  memory.remember("middle", user("2"), assistant("2"));
  now += std::chrono::minutes(1);
  memory.remember("new", user("3"), assistant("3"));
  EXPECT_EQ(memory.session_count(), 2u);
  EXPECT_TRUE(memory.history("old").empty());
  now += std::chrono::minutes(11);
  memory.remember("latest", user("4"), assistant("4"));
  EXPECT_EQ(memory.session_count(), 1u);
  memory.forget("latest");
  EXPECT_EQ(memory.session_count(), 0u);
}

}  // namespace
}  // namespace seer::agents
