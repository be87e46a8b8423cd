#pragma once

// The understanding expert's weights with each layer's q/k/v and gate/up matrices joined, so a
// decoding step reads each layer's weights in four matrix products instead of seven, each
// product's matrix stored as chosen (bf16/fp16 or quantised).

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <vector>

#include "bagel/language_weights.hpp"
#include "seer/models/quantization.hpp"

namespace seer::models {

struct FusedLayerWeights {
  at::Tensor input_norm, post_attention_norm;
  LinearWeight qkv_proj;  // [q_width + 2 * kv_width, hidden]
  at::Tensor qkv_bias;
  LinearWeight o_proj;
  at::Tensor qk_norm;  // [heads + kv_heads, head_dim]: q_norm for each query head, then k_norm
  LinearWeight gate_up_proj;  // [2 * intermediate, hidden]: gate rows first
  LinearWeight down_proj;
};

struct FusedLanguageWeights {
  // Each RMSNorm's weight multiplied into the columns of the matrix that reads the norm's output
  // (input norm -> QKV, post-attention norm -> gate/up, final norm -> lm_head) and replaced by
  // ones: the step's products then normalise their input themselves (kernels::normed_gemv).
  bool norms_folded = false;
  at::Tensor embed_tokens;
  std::vector<FusedLayerWeights> layers;
  at::Tensor final_norm;
  LinearWeight lm_head;
};

// Joins the projections and stores each as `quantization` (scales in `dtype`) on `device`,
// layer by layer, releasing each layer's separate matrices as it goes: the weights may be on the
// CPU (views of the checkpoint) and only the stored form reaches the device. `fold_norms`: see
// FusedLanguageWeights::norms_folded (the matrices are quantised after folding).
FusedLanguageWeights fuse_language_weights(LanguageWeights weights, Quantization quantization,
                                           at::ScalarType dtype, at::Device device,
                                           bool fold_norms);

}  // namespace seer::models
