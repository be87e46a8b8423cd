#include "bagel/vision_encoder_layer.hpp"

#include <ATen/ATen.h>

#include <string>
#include <utility>
#include <vector>

#include "bagel/attention.hpp"

namespace seer::models::bagel {
namespace {

// `prefix`{q,k,v}_proj as one [3 hidden, hidden] matrix and bias.
LinearWeights joined_qkv(const WeightReader& reader, const std::string& prefix,
                         std::int64_t hidden) {
  std::vector<at::Tensor> weights, biases;
  for (const char* name : {"q_proj", "k_proj", "v_proj"}) {
    LinearWeights part = reader.linear(prefix + name, hidden, hidden);
    weights.push_back(std::move(part.weight));
    biases.push_back(std::move(part.bias));
  }
  return {.weight = at::cat(weights), .bias = at::cat(biases)};
}

}  // namespace

VisionEncoderLayer::VisionEncoderLayer(const WeightReader& reader, const std::string& prefix,
                                       const VisionConfig& config)
    : heads_(config.num_attention_heads),
      activation_(parse_activation(config.hidden_act)),
      layer_norm1_(
          reader.layer_norm(prefix + ".layer_norm1", config.hidden_size, config.layer_norm_eps)),
      layer_norm2_(
          reader.layer_norm(prefix + ".layer_norm2", config.hidden_size, config.layer_norm_eps)),
      qkv_proj_(joined_qkv(reader, prefix + ".self_attn.", config.hidden_size)),
      out_proj_(
          reader.linear(prefix + ".self_attn.out_proj", config.hidden_size, config.hidden_size)),
      fc1_(reader.linear(prefix + ".mlp.fc1", config.intermediate_size, config.hidden_size)),
      fc2_(reader.linear(prefix + ".mlp.fc2", config.hidden_size, config.intermediate_size)) {}

at::Tensor VisionEncoderLayer::forward(const at::Tensor& x, at::IntArrayRef image_lengths) const {
  const at::Tensor h = x + self_attention(layer_norm1_(x), image_lengths);
  return h + fc2_(apply_activation(activation_, fc1_(layer_norm2_(h))));
}

at::Tensor VisionEncoderLayer::self_attention(const at::Tensor& x,
                                              at::IntArrayRef image_lengths) const {
  const std::int64_t n = x.size(0);
  // [N, 3, heads, head_dim]: q, k and v as [heads, N, head_dim] views of the one product.
  const at::Tensor qkv = qkv_proj_(x).view({n, 3, heads_, -1});
  const auto split_heads = [&](std::int64_t part) {
    return qkv.select(1, part).transpose(0, 1).split_with_sizes(image_lengths, 1);
  };
  const std::vector<at::Tensor> qs = split_heads(0);
  const std::vector<at::Tensor> ks = split_heads(1);
  const std::vector<at::Tensor> vs = split_heads(2);
  // One attention call per image, as varlen flash-attn with cu_seqlens does: no cross-image terms.
  std::vector<at::Tensor> outputs;
  outputs.reserve(qs.size());
  for (std::size_t i = 0; i < qs.size(); ++i) {
    outputs.push_back(attention(qs[i].unsqueeze(0), ks[i].unsqueeze(0), vs[i].unsqueeze(0)));
  }
  // [heads, N, head_dim]; one image's output is used as it is.
  const at::Tensor merged = outputs.size() == 1 ? outputs.front() : at::cat(outputs, 2);
  return out_proj_(merged.squeeze(0).transpose(0, 1).reshape({n, -1}));
}

}  // namespace seer::models::bagel
