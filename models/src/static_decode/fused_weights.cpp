#include "static_decode/fused_weights.hpp"

#include <ATen/ATen.h>

#include <utility>

namespace seer::models {
namespace {

LinearWeight stored(const at::Tensor& weight, Quantization quantization, at::ScalarType dtype,
                    at::Device device) {
  return quantize(weight.to(device), quantization, dtype);
}

}  // namespace

FusedLanguageWeights fuse_language_weights(LanguageWeights weights, Quantization quantization,
                                           at::ScalarType dtype, at::Device device) {
  const auto on_device = [&](const at::Tensor& t) { return t.to(device, dtype); };
  FusedLanguageWeights fused{
      .embed_tokens = on_device(weights.embed_tokens),
      .layers = {},
      .final_norm = on_device(weights.final_norm),
      .lm_head = stored(weights.lm_head, quantization, dtype, device),
  };
  weights.embed_tokens = at::Tensor();
  weights.lm_head = at::Tensor();
  fused.layers.reserve(weights.layers.size());
  for (LanguageLayerWeights& layer : weights.layers) {
    fused.layers.push_back({
        .input_norm = on_device(layer.input_norm),
        .post_attention_norm = on_device(layer.post_attention_norm),
        .qkv_proj = stored(
            at::cat({layer.q_proj.to(device), layer.k_proj.to(device), layer.v_proj.to(device)}),
            quantization, dtype, device),
        .qkv_bias = on_device(at::cat({layer.q_bias, layer.k_bias, layer.v_bias})),
        .o_proj = stored(layer.o_proj, quantization, dtype, device),
        .qk_norm = on_device(
            at::cat({layer.q_norm.expand({layer.q_proj.size(0) / layer.q_norm.size(0), -1}),
                     layer.k_norm.expand({layer.k_proj.size(0) / layer.k_norm.size(0), -1})})),
        .gate_up_proj = stored(at::cat({layer.gate_proj.to(device), layer.up_proj.to(device)}),
                               quantization, dtype, device),
        .down_proj = stored(layer.down_proj, quantization, dtype, device),
    });
    layer = LanguageLayerWeights{};
  }
  return fused;
}

}  // namespace seer::models
