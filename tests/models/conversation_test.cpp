#include "seer/models/conversation.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "fixture_support.hpp"
#include "seer/models/safetensors.hpp"
#include "test_assets.hpp"
#include "tiny_bagel.hpp"

namespace seer::models {
namespace {

using test::kFixtureDir;
using test::read_json_object;
using test::tiny_engine;
using test::tiny_tokenizer;
using test::to_ids;

// A fixture case's prompt as text (it round-trips through the tokenizer) and its output.
struct CaseText {
  std::string prompt;
  std::vector<std::int64_t> generated;  // without the primer
  std::vector<at::Tensor> pixels;
  std::int64_t max_new_tokens = 0;
};

CaseText case_text(const std::string& name) {
  const boost::json::object meta = read_json_object(kFixtureDir / ("case_" + name + ".json"));
  const SafetensorsFile tensors(kFixtureDir / ("case_" + name + ".safetensors"));
  const std::vector<std::int64_t> prompt = to_ids(tensors.load("prompt_ids"));
  const std::vector<TokenId> prompt32(prompt.begin(), prompt.end());
  CaseText text{.prompt = tiny_tokenizer().decode(prompt32)};
  EXPECT_EQ(tiny_tokenizer().encode(text.prompt), prompt32) << "the prompt does not round-trip";
  const std::vector<std::int64_t> generated = to_ids(tensors.load("generated_ids"));
  text.generated.assign(generated.begin() + 1, generated.end());
  for (std::size_t i = 0; i < meta.at("images").as_array().size(); ++i) {
    text.pixels.push_back(tensors.load("pixel_values_" + std::to_string(i)));
  }
  text.max_new_tokens = meta.at("max_length").to_number<std::int64_t>() - 1;
  return text;
}

ReplyOptions greedy(std::int64_t num_predict) { return {.num_predict = num_predict}; }

TEST(Conversation, ReproducesTheOfficialOutputFromText) {
  for (const std::string name : {"text_only", "image_chat", "two_images"}) {
    const CaseText fixture = case_text(name);
    Conversation conversation(tiny_engine(), tiny_tokenizer());
    for (const at::Tensor& pixels : fixture.pixels) conversation.add_image_pixels(pixels);
    conversation.add_text(fixture.prompt);
    const Reply reply = conversation.reply(greedy(fixture.max_new_tokens));
    EXPECT_EQ(reply.token_ids, fixture.generated) << name;
    const std::vector<TokenId> ids(reply.token_ids.begin(), reply.token_ids.end());
    EXPECT_EQ(reply.text, tiny_tokenizer().decode(ids)) << name;
    EXPECT_EQ(reply.eval_tokens, static_cast<std::int64_t>(fixture.generated.size()));
    EXPECT_EQ(reply.done_reason,
              fixture.generated.size() == static_cast<std::size_t>(fixture.max_new_tokens)
                  ? DoneReason::kLength
                  : DoneReason::kStop);
    EXPECT_GT(reply.prompt_eval_duration.count(), 0);
    EXPECT_GT(reply.eval_duration.count(), 0);
  }
}

TEST(Conversation, StreamsTheSameTextItReturns) {
  Conversation conversation(tiny_engine(), tiny_tokenizer());
  conversation.add_text("Describe the person in front of you.");
  std::string streamed;
  int pieces = 0;
  const Reply reply = conversation.reply(greedy(20), [&](const ReplyPiece& piece) {
    streamed += piece.text;
    ++pieces;
    return true;
  });
  EXPECT_EQ(streamed, reply.text);
  EXPECT_GT(pieces, 1);
}

// The second turn extends the cache: its logits equal a recomputation of the whole exchange.
TEST(Conversation, AFollowUpExtendsTheCacheInsteadOfRecomputing) {
  Conversation conversation(tiny_engine(), tiny_tokenizer());
  conversation.add_text("Hello, how are you?");
  const Reply first = conversation.reply(greedy(5));
  conversation.add_text("And now?");
  const Reply second = conversation.reply(greedy(6));

  const auto question = tiny_tokenizer().encode("And now?");
  // The closing of the first reply (its last, unfed token and <|im_end|>) and the question.
  EXPECT_EQ(second.prompt_tokens, static_cast<std::int64_t>(2 + question.size() + 2));

  std::vector<std::int64_t> whole{kImStartId};
  for (TokenId id : tiny_tokenizer().encode("Hello, how are you?")) whole.push_back(id);
  whole.insert(whole.end(), {kImEndId, kImStartId});
  whole.insert(whole.end(), first.token_ids.begin(), first.token_ids.end());
  whole.insert(whole.end(), {kImEndId, kImStartId});
  whole.insert(whole.end(), question.begin(), question.end());
  whole.push_back(kImEndId);
  const LanguageModel& language = tiny_engine().language_model();
  LanguageContext context{.cache = language.make_cache(64)};
  feed_text(language, context, whole);
  const DecodeOutcome recomputed = decode(language, context, {.max_new_tokens = 6});
  EXPECT_EQ(second.token_ids, recomputed.tokens);
}

TEST(Conversation, EndsBeforeAStopString) {
  Conversation free_run(tiny_engine(), tiny_tokenizer());
  free_run.add_text("Hello, how are you?");
  const Reply full = free_run.reply(greedy(23));
  ASSERT_GT(full.text.size(), 8U);
  const std::string stop = full.text.substr(full.text.size() / 2, 3);

  Conversation stopped(tiny_engine(), tiny_tokenizer());
  stopped.add_text("Hello, how are you?");
  ReplyOptions options = greedy(23);
  options.stop = {stop};
  std::string streamed;
  const Reply reply = stopped.reply(options, [&](const ReplyPiece& piece) {
    streamed += piece.text;
    return true;
  });
  EXPECT_EQ(reply.text, full.text.substr(0, full.text.find(stop)));
  EXPECT_EQ(streamed, reply.text);
  EXPECT_EQ(reply.done_reason, DoneReason::kStop);
  EXPECT_LT(reply.eval_tokens, full.eval_tokens);
}

TEST(Conversation, StopsWithinOneStepWhenCancelled) {
  Conversation conversation(tiny_engine(), tiny_tokenizer());
  conversation.add_text("Hello, how are you?");
  std::stop_source cancel;
  int pieces = 0;
  const Reply reply = conversation.reply(
      greedy(23),
      [&](const ReplyPiece&) {
        if (++pieces == 2) cancel.request_stop();
        return true;
      },
      cancel.get_token());
  EXPECT_EQ(reply.done_reason, DoneReason::kCancelled);
  EXPECT_LE(reply.eval_tokens, 4);  // the tokens up to the second piece, not one step more

  Conversation declined(tiny_engine(), tiny_tokenizer());
  declined.add_text("Hello, how are you?");
  const Reply first_piece_only =
      declined.reply(greedy(23), [](const ReplyPiece&) { return false; });
  EXPECT_EQ(first_piece_only.done_reason, DoneReason::kCancelled);
  EXPECT_LE(first_piece_only.eval_tokens, 3);
}

TEST(Conversation, SeededSamplingIsReproducible) {
  ReplyOptions options{.sampling = {.temperature = 1.0F, .seed = 7}, .num_predict = 12};
  std::vector<std::vector<std::int64_t>> runs;
  for (int run = 0; run < 2; ++run) {
    Conversation conversation(tiny_engine(), tiny_tokenizer());
    conversation.add_text("Hello, how are you?");
    runs.push_back(conversation.reply(options).token_ids);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0].size(), 12U);
  EXPECT_NE(runs[0], case_text("text_only").generated);  // not the greedy answer
}

TEST(Conversation, ThinkModeOpensWithTheOfficialSystemPrompt) {
  Conversation thinking(tiny_engine(), tiny_tokenizer(), {.think = true});
  thinking.add_text("Hello, how are you?");
  const auto system = tiny_tokenizer().encode(std::string(kThinkSystemPrompt));
  const auto question = tiny_tokenizer().encode("Hello, how are you?");
  EXPECT_EQ(thinking.tokens_used(), static_cast<std::int64_t>(system.size() + question.size() + 4));
  const Reply reply = thinking.reply(greedy(4));
  EXPECT_EQ(reply.thinking, "");  // a random model never opens <think>: all of it is answer
  EXPECT_EQ(reply.eval_tokens, 4);
}

TEST(Conversation, RefusesEmptyPromptsAndOverflowingContexts) {
  Conversation conversation(tiny_engine(), tiny_tokenizer(), {.context_length = 16});
  EXPECT_THROW(conversation.add_text(""), GenerationRequestError);
  EXPECT_THROW(conversation.reply(greedy(3)), GenerationRequestError);  // nothing asked
  conversation.add_text("Hello, how are you?");
  const Reply reply = conversation.reply({});  // unlimited: runs until the context is full
  EXPECT_EQ(reply.done_reason, DoneReason::kLength);
  EXPECT_EQ(conversation.tokens_used(), 16);  // the reply closed, nothing overflowed
  EXPECT_THROW(conversation.reply(greedy(3)), GenerationRequestError);  // nothing new asked
  conversation.add_text("One more question that does not fit");
  try {
    conversation.reply(greedy(3));
    FAIL() << "the context overflowed silently";
  } catch (const GenerationRequestError& error) {
    EXPECT_NE(std::string(error.what()).find("context length of 16"), std::string::npos)
        << error.what();
  }
}

TEST(Conversation, RefusesImagesOfTheWrongShape) {
  Conversation conversation(tiny_engine(), tiny_tokenizer());
  EXPECT_THROW(conversation.add_image_pixels(at::zeros({3, 20, 28})), GenerationRequestError);
  EXPECT_THROW(conversation.add_image_pixels(at::zeros({28, 28})), GenerationRequestError);
  const std::uint8_t pixel[3] = {1, 2, 3};
  EXPECT_THROW(conversation.add_image(ImageView{pixel, 1, 1, 2, 0}), ImagePreprocessingError);
}

}  // namespace
}  // namespace seer::models
