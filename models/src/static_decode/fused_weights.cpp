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
                                           at::ScalarType dtype, at::Device device,
                                           bool fold_norms) {
  const auto on_device = [&](const at::Tensor& t) { return t.to(device, dtype); };
  // The matrix (on the device) with the norm's weight in its columns, in float32 so the stored
  // form is rounded once; the norm then becomes ones.
  const auto fold = [&](const at::Tensor& matrix, const at::Tensor& norm) {
    const at::Tensor on = matrix.to(device);
    return fold_norms ? on.to(at::kFloat) * norm.to(device, at::kFloat).unsqueeze(0) : on;
  };
  const auto norm_of = [&](const at::Tensor& norm) {
    return fold_norms ? at::ones_like(on_device(norm)) : on_device(norm);
  };
  FusedLanguageWeights fused{
      .norms_folded = fold_norms,
      .embed_tokens = on_device(weights.embed_tokens),
      .layers = {},
      .final_norm = norm_of(weights.final_norm),
      .lm_head = stored(fold(weights.lm_head, weights.final_norm), quantization, dtype, device),
  };
  weights.embed_tokens = at::Tensor();
  weights.lm_head = at::Tensor();
  fused.layers.reserve(weights.layers.size());
  for (LanguageLayerWeights& layer : weights.layers) {
    fused.layers.push_back({
        .input_norm = norm_of(layer.input_norm),
        .post_attention_norm = norm_of(layer.post_attention_norm),
        .qkv_proj = stored(fold(at::cat({layer.q_proj.to(device), layer.k_proj.to(device),
                                         layer.v_proj.to(device)}),
                                layer.input_norm),
                           quantization, dtype, device),
        .qkv_bias = on_device(at::cat({layer.q_bias, layer.k_bias, layer.v_bias})),
        .o_proj = stored(layer.o_proj, quantization, dtype, device),
        .qk_norm = on_device(
            at::cat({layer.q_norm.expand({layer.q_proj.size(0) / layer.q_norm.size(0), -1}),
                     layer.k_norm.expand({layer.k_proj.size(0) / layer.k_norm.size(0), -1})})),
        .gate_up_proj = stored(fold(at::cat({layer.gate_proj.to(device), layer.up_proj.to(device)}),
                                    layer.post_attention_norm),
                               quantization, dtype, device),
        .down_proj = stored(layer.down_proj, quantization, dtype, device),
    });
    layer = LanguageLayerWeights{};
  }
  return fused;
}

}  // namespace seer::models
