#include "seer/models/sampler.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

namespace seer::models {
namespace {

// Options with every filter and the penalty off, so each test turns on only what it checks.
SamplingOptions plain(float temperature = 1.0F, std::uint64_t seed = 7) {
  SamplingOptions options;
  options.temperature = temperature;
  options.top_k = 0;
  options.top_p = 1.0F;
  options.min_p = 0.0F;
  options.repeat_penalty = 1.0F;
  options.seed = seed;
  return options;
}

at::Tensor logits_of(std::vector<float> values) {
  return at::tensor(at::ArrayRef<float>(values), at::kFloat);
}

std::vector<std::int64_t> draws(Sampler& sampler, const at::Tensor& logits, int count) {
  std::vector<std::int64_t> tokens;
  for (int i = 0; i < count; ++i) tokens.push_back(sampler.sample(logits, {}));
  return tokens;
}

TEST(Sampler, GreedyPicksArgmax) {
  Sampler sampler(plain(0.0F));
  EXPECT_EQ(sampler.sample(logits_of({0.1F, 3.0F, -2.0F, 2.9F}), {}), 1);
  EXPECT_EQ(sampler.sample(logits_of({-5.0F, -4.0F, -1.0F}), {}), 2);
}

TEST(Sampler, SameSeedRepeatsDifferentSeedDiffers) {
  const at::Tensor logits = at::zeros({16});
  Sampler first(plain(1.0F, 42));
  Sampler second(plain(1.0F, 42));
  Sampler other(plain(1.0F, 43));
  const auto sequence = draws(first, logits, 50);
  EXPECT_EQ(sequence, draws(second, logits, 50));
  EXPECT_NE(sequence, draws(other, logits, 50));
}

TEST(Sampler, TopKOneEqualsGreedyAtAnyTemperature) {
  const at::Tensor logits = at::randn({1000}, at::TensorOptions().dtype(at::kFloat));
  const std::int64_t argmax = logits.argmax().item<std::int64_t>();
  for (const float temperature : {0.5F, 1.0F, 5.0F, 100.0F}) {
    SamplingOptions options = plain(temperature);
    options.top_k = 1;
    Sampler sampler(options);
    for (const std::int64_t token : draws(sampler, logits, 50)) EXPECT_EQ(token, argmax);
  }
}

TEST(Sampler, TinyTopPKeepsOnlyTheTopToken) {
  SamplingOptions options = plain(2.0F);
  options.top_p = 1e-6F;
  Sampler sampler(options);
  for (const std::int64_t token : draws(sampler, logits_of({1.0F, 3.0F, 2.9F, 0.0F}), 200))
    EXPECT_EQ(token, 1);
}

TEST(Sampler, TopPKeepsTheSmallestSetReachingIt) {
  // Probabilities 0.5, 0.3, 0.2: top_p 0.75 needs the first two tokens and no more.
  SamplingOptions options = plain();
  options.top_p = 0.75F;
  Sampler sampler(options);
  const auto tokens =
      draws(sampler, logits_of({std::log(0.5F), std::log(0.3F), std::log(0.2F)}), 2000);
  EXPECT_EQ(std::count(tokens.begin(), tokens.end(), 2), 0);
  EXPECT_GT(std::count(tokens.begin(), tokens.end(), 1), 0);
}

TEST(Sampler, MinPDropsUnlikelyTokens) {
  // Probabilities 0.5, 0.3, 0.2: min_p 0.5 keeps those >= 0.25, tokens 0 and 1.
  SamplingOptions options = plain();
  options.min_p = 0.5F;
  Sampler sampler(options);
  const auto tokens =
      draws(sampler, logits_of({std::log(0.5F), std::log(0.3F), std::log(0.2F)}), 2000);
  EXPECT_EQ(std::count(tokens.begin(), tokens.end(), 2), 0);
  EXPECT_GT(std::count(tokens.begin(), tokens.end(), 0), 0);
  EXPECT_GT(std::count(tokens.begin(), tokens.end(), 1), 0);
}

TEST(Sampler, RepeatPenaltyFlipsGreedy) {
  SamplingOptions options = plain(0.0F);
  options.repeat_penalty = 1.1F;
  Sampler sampler(options);
  const std::array<std::int64_t, 1> history{0};
  EXPECT_EQ(sampler.sample(logits_of({2.0F, 1.9F}), {}), 0);
  EXPECT_EQ(sampler.sample(logits_of({2.0F, 1.9F}), history), 1);  // 2 / 1.1 < 1.9
  // A negative logit is multiplied, moving it further down.
  EXPECT_EQ(sampler.sample(logits_of({-1.0F, -1.05F}), history), 1);  // -1.1 < -1.05
}

TEST(Sampler, RepeatPenaltyAppliesOncePerDistinctToken) {
  SamplingOptions options = plain(0.0F);
  options.repeat_penalty = 1.1F;
  Sampler sampler(options);
  // Once: 2 / 1.1 = 1.82 > 1.7; three times would give 1.50 and flip the choice.
  const std::array<std::int64_t, 3> history{0, 0, 0};
  EXPECT_EQ(sampler.sample(logits_of({2.0F, 1.7F}), history), 0);
}

TEST(Sampler, RepeatPenaltyLowersTheChanceOfARepeatedToken) {
  SamplingOptions options = plain();
  options.repeat_penalty = 2.0F;
  const at::Tensor logits = logits_of({1.0F, 1.0F});
  const std::array<std::int64_t, 1> history{0};
  Sampler sampler(options);
  int repeats = 0;
  for (int i = 0; i < 2000; ++i) repeats += sampler.sample(logits, history) == 0 ? 1 : 0;
  // exp(0.5) / (exp(0.5) + exp(1)) = 0.38 instead of 0.5.
  EXPECT_LT(repeats, 850);
}

TEST(Sampler, RepeatWindowIsRespected) {
  const at::Tensor logits = logits_of({2.0F, 1.9F, 0.0F});
  const std::array<std::int64_t, 3> history{0, 2, 2};
  const auto pick = [&](int last_n) {
    SamplingOptions options = plain(0.0F);
    options.repeat_penalty = 1.1F;
    options.repeat_last_n = last_n;
    return Sampler(options).sample(logits, history);
  };
  EXPECT_EQ(pick(0), 0);   // disabled
  EXPECT_EQ(pick(2), 0);   // token 0 is outside the last two
  EXPECT_EQ(pick(3), 1);   // token 0 is inside
  EXPECT_EQ(pick(64), 1);  // window longer than the history
  EXPECT_EQ(pick(-1), 1);  // whole history
}

TEST(Sampler, EmpiricalDistributionMatchesSoftmax) {
  const at::Tensor logits = logits_of({0.0F, 1.0F, 2.0F});
  const at::Tensor exact = at::softmax(logits, 0);
  Sampler sampler(plain(1.0F, 2024));
  constexpr int kDraws = 20000;
  std::array<int, 3> counts{};
  for (const std::int64_t token : draws(sampler, logits, kDraws))
    ++counts.at(static_cast<std::size_t>(token));
  for (std::int64_t i = 0; i < 3; ++i)
    EXPECT_NEAR(counts.at(static_cast<std::size_t>(i)) / static_cast<double>(kDraws),
                exact[i].item<double>(), 0.02)
        << "token " << i;
}

TEST(Sampler, AcceptsBFloat16Logits) {
  const at::Tensor logits = logits_of({0.5F, 4.0F, 1.0F}).to(at::kBFloat16);
  EXPECT_EQ(Sampler(plain(0.0F)).sample(logits, {}), 1);
  SamplingOptions options = plain();
  options.top_k = 1;
  EXPECT_EQ(Sampler(options).sample(logits, {}), 1);
}

TEST(Sampler, RejectsInvalidOptions) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const auto with = [](auto change) {
    SamplingOptions options;
    change(options);
    return options;
  };
  EXPECT_THROW(Sampler(with([](auto& o) { o.temperature = -0.1F; })), std::invalid_argument);
  EXPECT_THROW(Sampler(with([&](auto& o) { o.temperature = nan; })), std::invalid_argument);
  EXPECT_THROW(Sampler(with([](auto& o) { o.top_p = 0.0F; })), std::invalid_argument);
  EXPECT_THROW(Sampler(with([](auto& o) { o.top_p = 1.5F; })), std::invalid_argument);
  EXPECT_THROW(Sampler(with([&](auto& o) { o.top_p = nan; })), std::invalid_argument);
  EXPECT_THROW(Sampler(with([&](auto& o) { o.min_p = nan; })), std::invalid_argument);
  EXPECT_THROW(Sampler(with([&](auto& o) { o.repeat_penalty = nan; })), std::invalid_argument);
  EXPECT_THROW(Sampler(with([](auto& o) { o.repeat_last_n = -2; })), std::invalid_argument);
  EXPECT_NO_THROW(Sampler(SamplingOptions{}));
}

TEST(Sampler, RejectsMalformedLogits) {
  Sampler sampler(plain());
  EXPECT_THROW(sampler.sample(at::zeros({2, 3}), {}), std::invalid_argument);
  EXPECT_THROW(sampler.sample(at::zeros({0}), {}), std::invalid_argument);
  EXPECT_THROW(sampler.sample(at::zeros({3}, at::kLong), {}), std::invalid_argument);
}

}  // namespace
}  // namespace seer::models
