// Full turns with the `bagel` chat backend: the real plugin running the tiny fixture
// checkpoint, seeing through the real camera and faces plugins.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent_test_support.hpp"

namespace seer::agents::test {
namespace {

std::string bagel_world() {
  return "seer: {log: {level: error}}\nplugins:\n" + camera_and_faces_yaml() +
         "  bagel:\n    model: " + std::string(SEER_SOURCE_DIR) + "/tests/fixtures/bagel-tiny\n" +
         "    tokenizer: " + seer::test::asset("tokenizer/tokenizer.json").string() + "\n" +
         "agents:\n"
         "  - name: sophia\n"
         "    llm: {backend: bagel, options: {num_predict: 6}}\n"
         "    vision:\n"
         "      services: {camera: webcam, vision_language_model: bagel}\n"
         "      description_max_tokens: 4\n"
         "    triggers: [{phrases: [look at me], action: look}]\n";
}

TEST(AgentBagel, FullTurnsHoldTheVisionReportExactlyOnceInEveryPrompt) {
  AgentWorld world(bagel_world());
  RunningAgent& sophia = world.agent("sophia");
  std::string streamed;
  const AgentReply first = sophia.say({.session = "game", .text = "look at me"},
                                      [&streamed](std::string_view piece) {
                                        streamed += piece;
                                        return true;
                                      },
                                      {});
  ASSERT_TRUE(first.vision_report.is_object());
  EXPECT_FALSE(first.vision_report.at("description").is_null()) << "BAGEL described the frame";
  EXPECT_EQ(first.result.text, streamed);
  EXPECT_GT(first.result.generated_tokens, 0);
  EXPECT_EQ(observation_blocks(sophia.last_request()), 1);

  int previous_prompt = first.result.prompt_tokens;
  std::size_t turns_before = 1;
  for (const char* text : {"and now?", "what else?", "tell me more"}) {
    const AgentReply reply = sophia.say({.session = "game", .text = text}, {}, {});
    EXPECT_GT(reply.result.generated_tokens, 0);
    EXPECT_GT(reply.result.prompt_tokens, previous_prompt) << "the history grows";
    previous_prompt = reply.result.prompt_tokens;
    const ChatRequest request = sophia.last_request();
    EXPECT_EQ(observation_blocks(request), 1) << text;
    EXPECT_EQ(request.messages.size(), 1 + 2 * turns_before + 1 + 1u)
        << "persona, the remembered exchanges, the observation, the user";
    ++turns_before;
  }
}

}  // namespace
}  // namespace seer::agents::test
