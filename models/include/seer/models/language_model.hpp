#pragma once

// BAGEL's language model on its understanding expert: a Qwen2 decoder with per-head QK-norm,
// run segment by segment against a KV cache, and the official text prompt/greedy-decode flow.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "seer/models/kv_cache.hpp"
#include "seer/models/language_config.hpp"

namespace seer::models {

class SafetensorsFile;

inline constexpr std::int64_t kImStartId = 151644;
inline constexpr std::int64_t kImEndId = 151645;

// How the tokens of one segment see each other (every segment sees all cached ones).
enum class SegmentAttention {
  kCausal,         // text: token i sees tokens 0..i of its own segment
  kBidirectional,  // an image block: every token sees the whole segment
};

// A run of tokens fed to the model in one forward pass.
struct LanguageSegment {
  at::Tensor embeddings;  // [n, hidden_size], in the model's dtype and device
  at::Tensor positions;   // [n] int64 RoPE positions
  SegmentAttention attention = SegmentAttention::kCausal;
};

struct LanguageWeights;

class LanguageModel {
 public:
  // Loads the understanding-expert weights `language_model.*` from `checkpoint`, converted to
  // `dtype` on `device`; a missing key or wrong shape throws SafetensorsError naming the key.
  LanguageModel(LanguageConfig config, const SafetensorsFile& checkpoint, at::ScalarType dtype,
                at::Device device);

  const LanguageConfig& config() const { return config_; }
  at::ScalarType dtype() const { return dtype_; }
  at::Device device() const { return device_; }

  KvCache make_cache(std::int64_t capacity) const;
  // [n] int64 token ids -> [n, hidden_size].
  at::Tensor embed(const at::Tensor& ids) const;
  // Runs `segment` through every layer, appending its keys/values to `cache`; returns the
  // hidden states after the final norm, [n, hidden_size].
  at::Tensor forward(const LanguageSegment& segment, KvCache& cache) const;
  // [n, hidden_size] final hidden states -> [n, vocab_size] float32 logits.
  at::Tensor logits(const at::Tensor& hidden) const;

 private:
  LanguageConfig config_;
  at::ScalarType dtype_;
  at::Device device_;
  std::shared_ptr<const LanguageWeights> weights_;
};

// One conversation's state: what is cached and the RoPE position the next segment gets.
struct LanguageContext {
  KvCache cache;
  std::int64_t rope_position = 0;
};

// Feeds `<|im_start|>` + ids + `<|im_end|>` as one causal text segment, as the official code
// wraps every text piece; advances the RoPE position by its length.
void prefill_text(const LanguageModel& model, LanguageContext& context,
                  std::span<const std::int64_t> prompt_ids);

struct GreedyDecodeOptions {
  // Steps of the loop, the primer included: at most max_length - 1 new tokens.
  std::int64_t max_length = 0;
  std::int64_t primer_id = kImStartId;
  std::int64_t end_id = kImEndId;
  // Called with every step's float32 logits [vocab_size] before the argmax.
  std::function<void(const at::Tensor& logits)> on_step;
};

// Greedy decoding primed with `primer_id`; returns the primer followed by the generated ids,
// stopping before `end_id` (which is not returned) or after max_length steps.
std::vector<std::int64_t> greedy_decode(const LanguageModel& model, LanguageContext& context,
                                        const GreedyDecodeOptions& options);

}  // namespace seer::models
