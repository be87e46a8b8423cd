// A conversation on the static decoder (a BatchedDecoder slot) replies exactly as on the eager
// engine: every fixture case, follow-ups, stop strings, seeded sampling, think mode, cancel,
// the context's limits; quantised weights run and stay close.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include "checkpoint_scratch_dir.hpp"
#include "fixture_support.hpp"
#include "seer/models/bagel_runtime.hpp"
#include "seer/models/batched_decoder.hpp"
#include "seer/models/conversation.hpp"
#include "test_assets.hpp"
#include "tiny_bagel.hpp"

namespace seer::models {
namespace {

using test::kFixtureDir;
using test::read_json_object;
using test::tiny_engine;
using test::tiny_static_decoder;
using test::tiny_tokenizer;
using test::to_ids;

BatchedDecoder& tiny_batched(Quantization quantization = Quantization::none) {
  static BatchedDecoder plain(tiny_static_decoder(2, 4097, Quantization::none));
  if (quantization == Quantization::none) return plain;
  static BatchedDecoder int8(tiny_static_decoder(1, 4097, Quantization::int8));
  static BatchedDecoder int4(tiny_static_decoder(1, 4097, Quantization::int4));
  static BatchedDecoder nf4(tiny_static_decoder(1, 4097, Quantization::nf4));
  return quantization == Quantization::int8   ? int8
         : quantization == Quantization::int4 ? int4
                                              : nf4;
}

using Scenario =
    std::function<std::vector<Reply>(const std::function<Conversation(ConversationOptions)>& make)>;

std::vector<Reply> on_eager(const Scenario& scenario) {
  return scenario([](ConversationOptions options) {
    return Conversation(tiny_engine(), tiny_tokenizer(), std::move(options));
  });
}

std::vector<Reply> on_static(const Scenario& scenario,
                             Quantization quantization = Quantization::none) {
  return scenario([quantization](ConversationOptions options) {
    return Conversation(tiny_batched(quantization).open(tiny_engine().vision_tower()),
                        tiny_tokenizer(), std::move(options));
  });
}

// The static decoder's replies, checked against the eager engine's.
std::vector<Reply> expect_same_replies(const Scenario& scenario, const std::string& what) {
  const std::vector<Reply> eager = on_eager(scenario);
  std::vector<Reply> fast = on_static(scenario);
  EXPECT_EQ(eager.size(), fast.size()) << what;
  if (eager.size() != fast.size()) return fast;
  for (std::size_t i = 0; i < eager.size(); ++i) {
    EXPECT_EQ(fast[i].token_ids, eager[i].token_ids) << what << ", reply " << i;
    EXPECT_EQ(fast[i].text, eager[i].text) << what << ", reply " << i;
    EXPECT_EQ(fast[i].thinking, eager[i].thinking) << what << ", reply " << i;
    EXPECT_EQ(fast[i].done_reason, eager[i].done_reason) << what << ", reply " << i;
    EXPECT_EQ(fast[i].prompt_tokens, eager[i].prompt_tokens) << what << ", reply " << i;
    EXPECT_EQ(fast[i].eval_tokens, eager[i].eval_tokens) << what << ", reply " << i;
  }
  return fast;
}

ReplyOptions greedy(std::int64_t num_predict) { return {.num_predict = num_predict}; }

TEST(ConversationBackends, EveryFixtureCaseGivesTheOfficialTokensOnBoth) {
  for (const std::string name : {"text_only", "image_chat", "two_images"}) {
    const SafetensorsFile tensors(kFixtureDir / ("case_" + name + ".safetensors"));
    const boost::json::object meta = read_json_object(kFixtureDir / ("case_" + name + ".json"));
    const std::vector<std::int64_t> prompt = to_ids(tensors.load("prompt_ids"));
    const std::string text =
        tiny_tokenizer().decode(std::vector<TokenId>(prompt.begin(), prompt.end()));
    std::vector<std::int64_t> official = to_ids(tensors.load("generated_ids"));
    official.erase(official.begin());
    const auto max_new = meta.at("max_length").to_number<std::int64_t>() - 1;
    const auto images = meta.at("images").as_array().size();
    const Scenario scenario = [&](const auto& make) {
      Conversation conversation = make({});
      for (std::size_t i = 0; i < images; ++i) {
        conversation.add_image_pixels(tensors.load("pixel_values_" + std::to_string(i)));
      }
      conversation.add_text(text);
      return std::vector<Reply>{conversation.reply(greedy(max_new))};
    };
    EXPECT_EQ(expect_same_replies(scenario, name).front().token_ids, official) << name;
  }
}

TEST(ConversationBackends, FollowUpsReuseTheCacheAlike) {
  expect_same_replies(
      [](const auto& make) {
        Conversation conversation = make({});
        conversation.add_text("Hello, how are you?");
        std::vector<Reply> replies{conversation.reply(greedy(5))};
        conversation.add_text("And now?");
        replies.push_back(conversation.reply(greedy(6)));
        conversation.add_text("And then?");
        replies.push_back(conversation.reply(greedy(4)));
        return replies;
      },
      "three turns");
}

TEST(ConversationBackends, StopStringsEndBothAlike) {
  Conversation free_run(tiny_engine(), tiny_tokenizer());
  free_run.add_text("Hello, how are you?");
  const Reply full = free_run.reply(greedy(23));
  ASSERT_GT(full.text.size(), 8U);
  const std::string stop = full.text.substr(full.text.size() / 2, 3);
  expect_same_replies(
      [&stop](const auto& make) {
        Conversation conversation = make({});
        conversation.add_text("Hello, how are you?");
        ReplyOptions options = greedy(23);
        options.stop = {stop};
        std::vector<Reply> replies{conversation.reply(options)};
        conversation.add_text("And now?");  // the stopped reply closes as the eager one does
        replies.push_back(conversation.reply(greedy(5)));
        return replies;
      },
      "stop string");
}

TEST(ConversationBackends, SeededSamplingDrawsTheSameTokens) {
  expect_same_replies(
      [](const auto& make) {
        Conversation conversation = make({});
        conversation.add_text("Hello, how are you?");
        const ReplyOptions sampled{
            .sampling = {.temperature = 1.0F, .repeat_penalty = 1.3F, .seed = 7},
            .num_predict = 12};
        std::vector<Reply> replies{conversation.reply(sampled)};
        conversation.add_text("And now?");
        replies.push_back(conversation.reply(sampled));  // the history penalises alike
        return replies;
      },
      "seeded sampling");
}

TEST(ConversationBackends, ThinkModeAndCancellationBehaveAlike) {
  expect_same_replies(
      [](const auto& make) {
        Conversation thinking = make({.think = true});
        thinking.add_text("Hello, how are you?");
        return std::vector<Reply>{thinking.reply(greedy(6))};
      },
      "think mode");
  expect_same_replies(
      [](const auto& make) {
        Conversation conversation = make({});
        conversation.add_text("Hello, how are you?");
        std::stop_source cancel;
        int pieces = 0;
        std::vector<Reply> replies{conversation.reply(
            greedy(23),
            [&](const ReplyPiece&) {
              if (++pieces == 2) cancel.request_stop();
              return true;
            },
            cancel.get_token())};
        EXPECT_EQ(replies.back().done_reason, DoneReason::kCancelled);
        conversation.add_text("Go on.");
        replies.push_back(conversation.reply(greedy(23), [](const ReplyPiece&) { return false; }));
        conversation.add_text("And now?");
        replies.push_back(conversation.reply(greedy(4)));
        return replies;
      },
      "cancel");
}

TEST(ConversationBackends, TheContextLimitsBothAlike) {
  expect_same_replies(
      [](const auto& make) {
        Conversation conversation = make({.context_length = 16});
        conversation.add_text("Hello, how are you?");
        std::vector<Reply> replies{conversation.reply({})};  // until the context is full
        EXPECT_EQ(replies.back().done_reason, DoneReason::kLength);
        EXPECT_EQ(conversation.tokens_used(), 16);
        conversation.add_text("One more question that does not fit");
        EXPECT_THROW(conversation.reply(greedy(3)), GenerationRequestError);
        return replies;
      },
      "context length 16");
  // The static decoder's slot bounds the context: 4096 rows here, whatever is asked.
  Conversation bounded(tiny_batched().open(tiny_engine().vision_tower()), tiny_tokenizer(),
                       {.context_length = 100000});
  EXPECT_EQ(bounded.context_length(), 4096);
}

TEST(ConversationBackends, QuantisedWeightsRunAndStayClose) {
  const Scenario scenario = [](const auto& make) {
    Conversation conversation = make({});
    conversation.add_text("Hello, how are you?");
    return std::vector<Reply>{conversation.reply(greedy(12))};
  };
  const std::vector<std::int64_t> exact = on_eager(scenario).front().token_ids;
  for (const Quantization format : {Quantization::int8, Quantization::int4, Quantization::nf4}) {
    const Reply reply = on_static(scenario, format).front();
    EXPECT_EQ(reply.eval_tokens, 12) << quantization_name(format);
    // int8 keeps the greedy path of the exact weights (4 bits may leave it: their error is
    // bounded in quantization_test.cpp).
    if (format == Quantization::int8) {
      EXPECT_EQ(reply.token_ids, exact);
    }
  }
}

TEST(BagelRuntime, LoadsOnlyWhatTheChosenDecoderRuns) {
  const std::unique_ptr<BagelRuntime> eager =
      BagelRuntime::load(kFixtureDir, {.decoder = DecoderChoice::automatic});
  EXPECT_FALSE(eager->uses_static_decoder());  // auto on the CPU
  EXPECT_EQ(eager->quantization_level(), "F32");
  const std::unique_ptr<BagelRuntime> int8 =
      BagelRuntime::load(kFixtureDir, {.quantization = Quantization::int8, .context_length = 64});
  EXPECT_TRUE(int8->uses_static_decoder());  // auto with a quantisation
  EXPECT_EQ(int8->quantization_level(), "INT8");
  EXPECT_EQ(int8->batch(), 1);
  // The tiny model is mostly its float32 embeddings, which stay unquantised.
  EXPECT_LT(int8->weight_bytes(), eager->weight_bytes() * 7 / 10);
  Conversation conversation(int8->open(), tiny_tokenizer());
  EXPECT_EQ(conversation.context_length(), 64);
  conversation.add_text("Hello, how are you?");
  EXPECT_EQ(conversation.reply(greedy(3)).eval_tokens, 3);

  try {
    BagelRuntime::load(kFixtureDir,
                       {.decoder = DecoderChoice::eager, .quantization = Quantization::nf4});
    FAIL() << "nf4 on the eager decoder was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("needs the static decoder"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(parse_decoder_choice("fast"), std::invalid_argument);
  EXPECT_THROW(BagelRuntime::load(kFixtureDir, {.decoder = DecoderChoice::fast, .batch = 9}),
               std::invalid_argument);
}

TEST(BagelRuntime, AnUnwritableQuantizedCacheIsAWarningAndTheLoadGoesOn) {
  const test::ScratchDir scratch;
  const std::filesystem::path blocker = scratch.path() / "a-file";
  { std::ofstream(blocker) << "not a directory"; }
  std::vector<std::string> warnings;
  const std::unique_ptr<BagelRuntime> runtime = BagelRuntime::load(
      kFixtureDir,
      {.quantization = Quantization::int8,
       .quantized_cache = blocker / "tiny.safetensors",
       .on_cache_warning = [&](const std::string& message) { warnings.push_back(message); }});
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_NE(warnings.front().find("cannot save the quantised weights"), std::string::npos);
  Conversation conversation(runtime->open(), tiny_tokenizer());
  conversation.add_text("Hello, how are you?");
  EXPECT_EQ(conversation.reply(greedy(3)).eval_tokens, 3);

  // A damaged cache is quantised again and replaced.
  const std::filesystem::path damaged = scratch.path() / "damaged.safetensors";
  { std::ofstream(damaged) << "garbage"; }
  warnings.clear();
  BagelRuntime::load(kFixtureDir, {.quantization = Quantization::int4,
                                   .quantized_cache = damaged,
                                   .on_cache_warning = [&](const std::string& message) {
                                     warnings.push_back(message);
                                   }});
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_NE(warnings.front().find("unreadable"), std::string::npos) << warnings.front();
  EXPECT_EQ(SafetensorsFile(damaged).metadata().at("seer.quantization"), "int4");
}

}  // namespace
}  // namespace seer::models
