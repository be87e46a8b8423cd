#include "bagel/language_layer.hpp"

#include <ATen/ATen.h>

#include "bagel/language_attention.hpp"
#include "bagel/language_rms_norm.hpp"

namespace seer::models {
namespace {

// The self-attention block: projections, per-head QK-norm, RoPE, cache append, attention.
at::Tensor attention_block(const LanguageConfig& config, const DecoderLayerInput& input,
                           const at::Tensor& normed, KvCache& cache) {
  const LanguageLayerWeights& w = input.weights;
  const std::int64_t rows = normed.size(0);
  at::Tensor q = at::linear(normed, w.q_proj, w.q_bias).view({rows, config.num_heads, -1});
  at::Tensor k = at::linear(normed, w.k_proj, w.k_bias).view({rows, config.num_kv_heads, -1});
  const at::Tensor v = at::linear(normed, w.v_proj, w.v_bias).view({rows, config.num_kv_heads, -1});
  // BAGEL normalises each head's q and k before the rotation, so the cache holds both applied.
  q = apply_rotary(rms_norm(q, w.q_norm, config.rms_norm_eps), input.rotary);
  k = apply_rotary(rms_norm(k, w.k_norm, config.rms_norm_eps), input.rotary);
  const auto [all_keys, all_values] = cache.append(input.layer_index, k, v);
  return at::linear(segment_attention(q, all_keys, all_values, input.attention), w.o_proj);
}

at::Tensor mlp_block(const LanguageLayerWeights& w, const at::Tensor& normed) {
  const at::Tensor gated =
      at::silu(at::linear(normed, w.gate_proj)) * at::linear(normed, w.up_proj);
  return at::linear(gated, w.down_proj);
}

}  // namespace

at::Tensor decoder_layer_forward(const LanguageConfig& config, const DecoderLayerInput& input,
                                 const at::Tensor& hidden, KvCache& cache) {
  const LanguageLayerWeights& w = input.weights;
  const at::Tensor after_attention =
      hidden +
      attention_block(config, input, rms_norm(hidden, w.input_norm, config.rms_norm_eps), cache);
  return after_attention +
         mlp_block(w, rms_norm(after_attention, w.post_attention_norm, config.rms_norm_eps));
}

}  // namespace seer::models
