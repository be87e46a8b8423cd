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
#include <stop_token>
#include <vector>

#include "seer/models/kv_cache.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/safetensors.hpp"

namespace seer::models {

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
  // `progress` hears of every tensor converted.
  LanguageModel(LanguageConfig config, const SafetensorsFile& checkpoint, at::ScalarType dtype,
                at::Device device, const LoadProgress& progress = {});

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

// Feeds `ids` as one causal text segment at the context's next RoPE positions; returns the
// final hidden states [n, hidden_size].
at::Tensor feed_text(const LanguageModel& model, LanguageContext& context,
                     std::span<const std::int64_t> ids);

// Feeds `<|im_start|>` + ids + `<|im_end|>` as one causal text segment, as the official code
// wraps every text piece; advances the RoPE position by its length.
void prefill_text(const LanguageModel& model, LanguageContext& context,
                  std::span<const std::int64_t> prompt_ids);

// Why decoding stopped.
enum class DecodeStop {
  kEndToken,     // the model produced end_id
  kLength,       // max_new_tokens were produced
  kContextFull,  // the cache has no room for another token
  kStopped,      // on_token asked to stop (a stop string, a closed client)
  kCancelled,    // `cancel` was requested
};

struct DecodeOptions {
  std::int64_t max_new_tokens = 0;
  std::int64_t primer_id = kImStartId;
  std::int64_t end_id = kImEndId;
  // Picks the next token from a step's float32 logits [vocab_size]; argmax when unset.
  std::function<std::int64_t(const at::Tensor& logits)> choose;
  // Receives each generated token (never the primer or end_id); false stops after it.
  std::function<bool(std::int64_t token)> on_token;
  // Checked before every step, so a request stops within one forward pass.
  std::stop_token cancel;
  // Cache rows decoding leaves free (a conversation keeps room to close the reply).
  std::int64_t reserved_rows = 0;
};

struct DecodeOutcome {
  std::vector<std::int64_t> tokens;  // generated, without the primer and end_id
  DecodeStop stop = DecodeStop::kLength;
  // The reply's tokens not in the cache yet (the primer and tokens never fed, at most the
  // last one): feed them and end_id to close the reply before the next turn.
  std::vector<std::int64_t> unfed;
};

// The official decoding loop: feed the primer, then each chosen token, one step each, until
// end_id, max_new_tokens, a full cache, on_token or `cancel` stops it.
DecodeOutcome decode(const LanguageModel& model, LanguageContext& context,
                     const DecodeOptions& options);

}  // namespace seer::models
