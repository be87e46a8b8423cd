#pragma once

// The understanding expert's weights with each layer's q/k/v and gate/up matrices joined, so a
// decoding step reads each layer's weights in four matrix products instead of seven.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "bagel/language_weights.hpp"

namespace seer::models {

struct FusedLayerWeights {
  at::Tensor input_norm, post_attention_norm;
  at::Tensor qkv_proj, qkv_bias;  // [q_width + 2 * kv_width, hidden]
  at::Tensor o_proj;
  at::Tensor qk_norm;       // [heads + kv_heads, head_dim]: q_norm for each query head, then k_norm
  at::Tensor gate_up_proj;  // [2 * intermediate, hidden]: gate rows first
  at::Tensor down_proj;
};

struct FusedLanguageWeights {
  at::Tensor embed_tokens;
  std::vector<FusedLayerWeights> layers;
  at::Tensor final_norm;
  at::Tensor lm_head;
};

// Joins the projections, releasing each layer's separate matrices as it goes so the peak stays
// near one copy of the weights (an unfused step multiplies by row blocks of the joined ones).
FusedLanguageWeights fuse_language_weights(LanguageWeights weights);

}  // namespace seer::models
