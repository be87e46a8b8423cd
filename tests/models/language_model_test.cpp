#include "seer/models/language_model.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fixture_support.hpp"
#include "seer/models/kv_cache.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/safetensors.hpp"

namespace seer::models {
namespace {

namespace fs = std::filesystem;

using test::kFixtureDir;
using test::read_json_object;
using test::relative_error;
using test::to_ids;

LanguageConfig tiny_config() {
  return LanguageConfig::from_json_file(kFixtureDir / "llm_config.json");
}

const LanguageModel& tiny_model() {
  static const SafetensorsFile checkpoint(kFixtureDir / "ema.safetensors");
  static const LanguageModel model(tiny_config(), checkpoint, at::kFloat, at::kCPU);
  return model;
}

// The message of the exception that `action` throws, or "" when it throws none.
template <typename Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const std::exception& error) {
    return error.what();
  }
  return "";
}

// Final hidden states of `ids` fed as one causal segment starting at `first_position`.
at::Tensor run_text(const LanguageModel& model, KvCache& cache, std::vector<std::int64_t> ids,
                    std::int64_t first_position,
                    SegmentAttention attention = SegmentAttention::kCausal) {
  const auto count = static_cast<std::int64_t>(ids.size());
  const LanguageSegment segment{
      .embeddings = model.embed(at::tensor(ids, at::kLong)),
      .positions = at::arange(first_position, first_position + count, at::kLong),
      .attention = attention,
  };
  return model.forward(segment, cache);
}

TEST(LanguageConfig, ReadsTheTinyQwen2Config) {
  const LanguageConfig config = tiny_config();
  EXPECT_EQ(config.hidden_size, 64);
  EXPECT_EQ(config.num_layers, 3);
  EXPECT_EQ(config.num_heads, 4);
  EXPECT_EQ(config.num_kv_heads, 2);
  EXPECT_EQ(config.head_dim, 16);
  EXPECT_EQ(config.intermediate_size, 160);
  EXPECT_EQ(config.vocab_size, 152064);
  EXPECT_EQ(config.max_position_embeddings, 32768);
  EXPECT_DOUBLE_EQ(config.rope_theta, 1e6);
  EXPECT_DOUBLE_EQ(config.rms_norm_eps, 1e-6);
  EXPECT_TRUE(config.qk_norm);
}

TEST(LanguageConfig, MissingFileOrFieldIsNamed) {
  EXPECT_NE(
      error_of([] { LanguageConfig::from_json_file(kFixtureDir / "nope.json"); }).find("nope.json"),
      std::string::npos);
  const std::string message =
      error_of([] { LanguageConfig::from_json_file(kFixtureDir / "vit_config.json"); });
  EXPECT_NE(message.find("vit_config.json"), std::string::npos) << message;
}

TEST(LanguageModelLoad, WrongShapeNamesTheKey) {
  const SafetensorsFile checkpoint(kFixtureDir / "ema.safetensors");
  LanguageConfig config = tiny_config();
  config.intermediate_size = 128;
  const std::string message =
      error_of([&] { LanguageModel(config, checkpoint, at::kFloat, at::kCPU); });
  EXPECT_NE(message.find("language_model.model.layers.0.mlp.gate_proj.weight"), std::string::npos)
      << message;
}

TEST(LanguageModelLoad, MissingKeyIsNamed) {
  const SafetensorsFile checkpoint(kFixtureDir / "ema.safetensors");
  LanguageConfig config = tiny_config();
  config.num_layers = 4;
  const std::string message =
      error_of([&] { LanguageModel(config, checkpoint, at::kFloat, at::kCPU); });
  EXPECT_NE(message.find("language_model.model.layers.3.input_layernorm.weight"), std::string::npos)
      << message;
}

TEST(LanguageModelTextOnly, MatchesTheOfficialReference) {
  const LanguageModel& model = tiny_model();
  const boost::json::object meta = read_json_object(kFixtureDir / "case_text_only.json");
  const SafetensorsFile reference(kFixtureDir / "case_text_only.safetensors");
  const std::vector<std::int64_t> prompt = to_ids(reference.load("prompt_ids"));

  LanguageContext context{.cache = model.make_cache(64)};
  prefill_text(model, context, prompt);
  EXPECT_EQ(context.cache.length(), meta.at("kv_len_after_prefill").to_number<std::int64_t>());
  EXPECT_EQ(context.rope_position, meta.at("rope_after_prefill").to_number<std::int64_t>());

  std::vector<at::Tensor> step_logits;
  const DecodeOptions options{
      .max_new_tokens = meta.at("max_length").to_number<std::int64_t>() - 1,
      .choose =
          [&](const at::Tensor& logits) {
            step_logits.push_back(logits.clone());
            return logits.argmax().item<std::int64_t>();
          },
  };
  const DecodeOutcome outcome = decode(model, context, options);
  std::vector<std::int64_t> generated{seer::models::kImStartId};
  generated.insert(generated.end(), outcome.tokens.begin(), outcome.tokens.end());

  ASSERT_FALSE(step_logits.empty());
  const double first_error = relative_error(step_logits[0], reference.load("first_logits"));
  EXPECT_LT(first_error, 1e-4);
  std::cout << "first_logits relative L2 error: " << first_error << "\n";

  // The official loop also runs the step whose token max_length then discards; ours stops
  // before it, so the reference may have one step more.
  const at::Tensor top5_reference = reference.load("step_top5_ids");
  ASSERT_GE(static_cast<std::int64_t>(step_logits.size()), top5_reference.size(0) - 1);
  ASSERT_LE(static_cast<std::int64_t>(step_logits.size()), top5_reference.size(0));
  for (std::size_t step = 0; step < step_logits.size(); ++step) {
    const at::Tensor top5 = std::get<1>(step_logits[step].topk(5));
    EXPECT_EQ(to_ids(top5), to_ids(top5_reference[static_cast<std::int64_t>(step)]))
        << "step " << step;
  }
  EXPECT_EQ(generated, to_ids(reference.load("generated_ids")));
}

TEST(KvCacheDecode, StepByStepEqualsOnePrefill) {
  const LanguageModel& model = tiny_model();
  const std::vector<std::int64_t> ids{kImStartId, 9707, 11, 1246, 525, 498, 30, kImEndId, 42, 7};
  const std::int64_t prefix = 4;

  KvCache whole = model.make_cache(16);
  const at::Tensor whole_hidden = run_text(model, whole, ids, 0);

  KvCache stepwise = model.make_cache(16);
  at::Tensor last_hidden = run_text(model, stepwise, {ids.begin(), ids.begin() + prefix}, 0);
  for (std::size_t i = static_cast<std::size_t>(prefix); i < ids.size(); ++i) {
    last_hidden = run_text(model, stepwise, {ids[i]}, static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(stepwise.length(), whole.length());
  const at::Tensor expected = model.logits(whole_hidden[-1]);
  const at::Tensor actual = model.logits(last_hidden[-1]);
  const double difference = (actual - expected).abs().max().item<double>();
  EXPECT_LT(difference, 1e-5);
  std::cout << "step-by-step vs prefill, max |logit difference|: " << difference << "\n";
}

TEST(KvCacheDecode, CausalSegmentIgnoresLaterTokensBidirectionalDoesNot) {
  const LanguageModel& model = tiny_model();
  const std::vector<std::int64_t> first{11, 22, 33};
  const std::vector<std::int64_t> second{11, 22, 44};
  for (const SegmentAttention attention :
       {SegmentAttention::kCausal, SegmentAttention::kBidirectional}) {
    KvCache cache_a = model.make_cache(8);
    KvCache cache_b = model.make_cache(8);
    const at::Tensor a = run_text(model, cache_a, first, 0, attention);
    const at::Tensor b = run_text(model, cache_b, second, 0, attention);
    const bool first_row_equal = at::allclose(a[0], b[0]);
    EXPECT_EQ(first_row_equal, attention == SegmentAttention::kCausal);
  }
}

TEST(KvCacheDecode, TextAfterAnImageLikeSegmentSeesAllOfIt) {
  const LanguageModel& model = tiny_model();
  // A bidirectional block at one shared position, then text bottom-right aligned against it.
  const at::Tensor block = model.embed(at::tensor(std::vector<std::int64_t>{5, 6, 7}, at::kLong));
  const std::vector<std::int64_t> text{kImStartId, 100, kImEndId};
  const auto run = [&](const at::Tensor& block_embeddings, KvCache& cache) {
    model.forward({.embeddings = block_embeddings,
                   .positions = at::zeros({3}, at::kLong),
                   .attention = SegmentAttention::kBidirectional},
                  cache);
    return run_text(model, cache, text, 1);
  };
  KvCache cache = model.make_cache(8);
  const at::Tensor hidden = run(block, cache);
  EXPECT_EQ(cache.length(), 6);

  // The first text token differs when the block's last row differs: it sees the whole block.
  KvCache other_cache = model.make_cache(8);
  const at::Tensor changed_block = block.clone();
  changed_block[2].add_(1.0);
  EXPECT_FALSE(at::allclose(run(changed_block, other_cache)[0], hidden[0]));
}

TEST(KvCache, AppendsIntoItsPreallocatedBuffers) {
  const LanguageConfig config = tiny_config();
  KvCache cache(config, 8, at::TensorOptions().dtype(at::kFloat));
  const at::Tensor rows = at::ones({3, config.num_kv_heads, config.head_dim});
  const auto [keys, values] = cache.append(1, rows, rows * 2);
  cache.commit(3);
  const auto [more_keys, more_values] = cache.append(1, rows * 3, rows * 4);
  cache.commit(3);
  EXPECT_EQ(cache.length(), 6);
  EXPECT_EQ(more_keys.size(0), 6);
  // The same storage both times: appending writes in place instead of reallocating.
  EXPECT_EQ(more_keys.data_ptr(), keys.data_ptr());
  EXPECT_EQ(more_values.data_ptr(), values.data_ptr());
  EXPECT_TRUE(at::equal(more_keys.narrow(0, 3, 3), rows * 3));
  EXPECT_TRUE(at::equal(more_values.narrow(0, 0, 3), rows * 2));
}

TEST(KvCacheDecode, OverflowIsRefused) {
  const LanguageModel& model = tiny_model();
  KvCache cache = model.make_cache(4);
  EXPECT_THROW(run_text(model, cache, {1, 2, 3, 4, 5}, 0), std::length_error);
}

}  // namespace
}  // namespace seer::models
