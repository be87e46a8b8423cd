#pragma once

// Token sampling with Ollama's options (llama.cpp conventions): repeat penalty, then greedy or
// top-k, top-p, min-p and temperature, drawn from a seeded generator owned by the sampler.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <random>
#include <span>

namespace seer::models {

struct SamplingOptions {
  float temperature = 0.8F;           // <= 0 picks the argmax
  int top_k = 40;                     // <= 0 disables
  float top_p = 0.9F;                 // in (0, 1]; 1 disables
  float min_p = 0.0F;                 // in [0, 1]; 0 disables
  float repeat_penalty = 1.1F;        // > 0; 1 disables
  int repeat_last_n = 64;             // 0 disables, -1 = whole history
  std::optional<std::uint64_t> seed;  // unset: seeded from std::random_device
};

class Sampler {
 public:
  // Throws std::invalid_argument for options out of range or NaN.
  explicit Sampler(SamplingOptions options);

  // Picks the next token from `logits` [vocab] (any floating dtype or device), penalising the
  // tokens of `history` (oldest first) that fall in the repeat window.
  std::int64_t sample(const at::Tensor& logits, std::span<const std::int64_t> history);

  const SamplingOptions& options() const { return options_; }

 private:
  SamplingOptions options_;
  std::mt19937_64 generator_;
};

}  // namespace seer::models
