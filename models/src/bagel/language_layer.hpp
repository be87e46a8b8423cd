#pragma once

// One Qwen2 decoder layer of BAGEL's understanding expert, QK-norm included.

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "bagel/language_weights.hpp"
#include "bagel/rope.hpp"
#include "seer/models/kv_cache.hpp"
#include "seer/models/language_model.hpp"

namespace seer::models {

struct DecoderLayerInput {
  const LanguageLayerWeights& weights;
  std::int64_t layer_index;  // its slot in the cache
  const RotaryTables& rotary;
  SegmentAttention attention;
};

// hidden [n, hidden_size] -> [n, hidden_size]; appends the segment's keys/values to `cache`.
at::Tensor decoder_layer_forward(const LanguageConfig& config, const DecoderLayerInput& input,
                                 const at::Tensor& hidden, KvCache& cache);

}  // namespace seer::models
