#include "seer/models/sampler.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace seer::models {
namespace {

void require(bool condition, const std::string& message) {
  if (!condition) throw std::invalid_argument("SamplingOptions: " + message);
}

// Comparisons with NaN are false, so each check below also rejects NaN.
void validate(const SamplingOptions& options) {
  require(options.temperature >= 0.0F, "temperature must be >= 0 and not NaN");
  require(options.top_p > 0.0F && options.top_p <= 1.0F, "top_p must be in (0, 1]");
  require(options.min_p >= 0.0F && options.min_p <= 1.0F, "min_p must be in [0, 1]");
  require(options.repeat_penalty > 0.0F && std::isfinite(options.repeat_penalty),
          "repeat_penalty must be a finite number > 0");
  require(options.repeat_last_n >= -1, "repeat_last_n must be >= -1");
}

std::uint64_t initial_seed(const std::optional<std::uint64_t>& seed) {
  if (seed) return *seed;
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32U) ^ device();
}

// Divides positive logits by the penalty and multiplies negative ones, once per distinct token.
void penalise_repeats(std::vector<float>& logits, std::span<const std::int64_t> history,
                      const SamplingOptions& options) {
  if (options.repeat_penalty == 1.0F || options.repeat_last_n == 0) return;
  std::size_t window = history.size();
  if (options.repeat_last_n > 0)
    window = std::min(window, static_cast<std::size_t>(options.repeat_last_n));
  const std::unordered_set<std::int64_t> recent(history.end() - static_cast<std::ptrdiff_t>(window),
                                                history.end());
  const auto vocab = static_cast<std::int64_t>(logits.size());
  for (const std::int64_t token : recent) {
    if (token < 0 || token >= vocab) continue;  // ids outside this vocabulary cannot repeat
    float& logit = logits[static_cast<std::size_t>(token)];
    logit = logit > 0.0F ? logit / options.repeat_penalty : logit * options.repeat_penalty;
  }
}

// 53 random bits scaled to [0, 1): the same on every standard library, unlike
// std::uniform_real_distribution.
double uniform_unit(std::mt19937_64& generator) {
  return static_cast<double>(generator() >> 11U) * 0x1.0p-53;
}

}  // namespace

Sampler::Sampler(SamplingOptions options) : options_(options) {
  validate(options_);
  generator_.seed(initial_seed(options_.seed));
}

std::int64_t Sampler::sample(const at::Tensor& logits, std::span<const std::int64_t> history) {
  if (logits.dim() != 1 || logits.numel() == 0 || !at::isFloatingType(logits.scalar_type()))
    throw std::invalid_argument("Sampler::sample: logits must be a non-empty 1-D float tensor");
  const at::Tensor host = logits.to(at::kCPU, at::kFloat).contiguous();
  std::vector<float> values(host.data_ptr<float>(), host.data_ptr<float>() + host.numel());
  penalise_repeats(values, history, options_);

  // Candidates by descending logit, lower id first among ties so the order is deterministic.
  std::vector<std::int64_t> candidates(values.size());
  std::iota(candidates.begin(), candidates.end(), 0);
  const auto higher = [&values](std::int64_t a, std::int64_t b) {
    const float la = values[static_cast<std::size_t>(a)];
    const float lb = values[static_cast<std::size_t>(b)];
    return la > lb || (la == lb && a < b);
  };
  if (options_.temperature <= 0.0F)
    return *std::min_element(candidates.begin(), candidates.end(), higher);

  const auto logit_of = [&values](std::int64_t token) {
    return values[static_cast<std::size_t>(token)];
  };
  if (options_.top_k > 0 && static_cast<std::size_t>(options_.top_k) < candidates.size()) {
    const auto kept = candidates.begin() + options_.top_k;
    std::partial_sort(candidates.begin(), kept, candidates.end(), higher);
    candidates.erase(kept, candidates.end());
  } else {
    std::sort(candidates.begin(), candidates.end(), higher);
  }

  // Relative probabilities exp(logit - max) before temperature, as top-p and min-p see them.
  const float top_logit = logit_of(candidates.front());
  std::vector<double> weights(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i)
    weights[i] = std::exp(static_cast<double>(logit_of(candidates[i]) - top_logit));

  if (options_.top_p < 1.0F) {
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    double cumulative = 0.0;
    std::size_t kept = 0;
    while (kept < weights.size()) {
      cumulative += weights[kept++];
      if (cumulative >= options_.top_p * total) break;
    }
    candidates.resize(kept);
  }
  if (options_.min_p > 0.0F) {
    // The top candidate has weight 1, so this is probability < min_p * max probability.
    std::size_t kept = 1;
    while (kept < candidates.size() && weights[kept] >= options_.min_p) ++kept;
    candidates.resize(kept);
  }

  // Temperature, then a float32 softmax over the survivors and a draw on its cumulative sum.
  std::vector<float> probabilities(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i)
    probabilities[i] = std::exp((logit_of(candidates[i]) - top_logit) / options_.temperature);
  const double total = std::accumulate(probabilities.begin(), probabilities.end(), 0.0);
  if (!(total > 0.0) || !std::isfinite(total)) return candidates.front();
  const double target = uniform_unit(generator_) * total;
  double cumulative = 0.0;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    cumulative += probabilities[i];
    if (target < cumulative) return candidates[i];
  }
  return candidates.back();  // rounding left target just past the last sum
}

}  // namespace seer::models
