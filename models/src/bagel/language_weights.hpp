#pragma once

// The understanding expert's weights of BAGEL's language model, as loaded from ema.safetensors.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <vector>

#include "seer/models/checkpoint_layout.hpp"
#include "seer/models/language_model.hpp"

namespace seer::models {

struct LanguageLayerWeights {
  at::Tensor input_norm;
  at::Tensor q_proj, q_bias, k_proj, k_bias, v_proj, v_bias, o_proj;
  at::Tensor q_norm, k_norm;  // per head, [head_dim]
  at::Tensor post_attention_norm;
  at::Tensor gate_proj, up_proj, down_proj;
};

struct LanguageWeights {
  at::Tensor embed_tokens;  // [vocab, hidden]
  std::vector<LanguageLayerWeights> layers;
  at::Tensor final_norm;
  at::Tensor lm_head;  // [vocab, hidden], not tied to embed_tokens
};

// Each key the understanding path reads, with its shape, in the order the weights are filled.
std::vector<CheckpointTensor> language_understanding_tensors(const LanguageConfig& config);

// Checks every key's shape against `config` before converting any tensor; the generation
// expert's `*_moe_gen*` weights are left in the file.
LanguageWeights load_language_weights(const LanguageConfig& config,
                                      const SafetensorsFile& checkpoint, at::ScalarType dtype,
                                      at::Device device, const LoadProgress& progress = {});

}  // namespace seer::models
