#include "static_decode/fused_weights.hpp"

#include <ATen/ATen.h>

#include <utility>

namespace seer::models {

FusedLanguageWeights fuse_language_weights(LanguageWeights weights) {
  FusedLanguageWeights fused{
      .embed_tokens = std::move(weights.embed_tokens),
      .layers = {},
      .final_norm = std::move(weights.final_norm),
      .lm_head = std::move(weights.lm_head),
  };
  fused.layers.reserve(weights.layers.size());
  for (LanguageLayerWeights& layer : weights.layers) {
    fused.layers.push_back({
        .input_norm = std::move(layer.input_norm),
        .post_attention_norm = std::move(layer.post_attention_norm),
        .qkv_proj = at::cat({layer.q_proj, layer.k_proj, layer.v_proj}),
        .qkv_bias = at::cat({layer.q_bias, layer.k_bias, layer.v_bias}),
        .o_proj = std::move(layer.o_proj),
        .qk_norm =
            at::cat({layer.q_norm.expand({layer.q_proj.size(0) / layer.q_norm.size(0), -1}),
                     layer.k_norm.expand({layer.k_proj.size(0) / layer.k_norm.size(0), -1})}),
        .gate_up_proj = at::cat({layer.gate_proj, layer.up_proj}),
        .down_proj = std::move(layer.down_proj),
    });
    layer = LanguageLayerWeights{};
  }
  return fused;
}

}  // namespace seer::models
