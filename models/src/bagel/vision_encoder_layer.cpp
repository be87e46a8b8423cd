#include "bagel/vision_encoder_layer.hpp"

#include <ATen/ATen.h>

#include <vector>

#include "bagel/attention.hpp"

namespace seer::models::bagel {

VisionEncoderLayer::VisionEncoderLayer(const WeightReader& reader, const std::string& prefix,
                                       const VisionConfig& config)
    : heads_(config.num_attention_heads),
      activation_(parse_activation(config.hidden_act)),
      layer_norm1_(
          reader.layer_norm(prefix + ".layer_norm1", config.hidden_size, config.layer_norm_eps)),
      layer_norm2_(
          reader.layer_norm(prefix + ".layer_norm2", config.hidden_size, config.layer_norm_eps)),
      q_proj_(reader.linear(prefix + ".self_attn.q_proj", config.hidden_size, config.hidden_size)),
      k_proj_(reader.linear(prefix + ".self_attn.k_proj", config.hidden_size, config.hidden_size)),
      v_proj_(reader.linear(prefix + ".self_attn.v_proj", config.hidden_size, config.hidden_size)),
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
  // [N, hidden] -> [heads, N, head_dim]
  const auto split_heads = [&](const at::Tensor& t) {
    return t.view({n, heads_, -1}).transpose(0, 1);
  };
  const std::vector<at::Tensor> qs = split_heads(q_proj_(x)).split_with_sizes(image_lengths, 1);
  const std::vector<at::Tensor> ks = split_heads(k_proj_(x)).split_with_sizes(image_lengths, 1);
  const std::vector<at::Tensor> vs = split_heads(v_proj_(x)).split_with_sizes(image_lengths, 1);
  // One attention call per image, as varlen flash-attn with cu_seqlens does: no cross-image terms.
  std::vector<at::Tensor> outputs;
  outputs.reserve(qs.size());
  for (std::size_t i = 0; i < qs.size(); ++i) {
    outputs.push_back(attention(qs[i].unsqueeze(0), ks[i].unsqueeze(0), vs[i].unsqueeze(0)));
  }
  const at::Tensor merged = at::cat(outputs, 2).squeeze(0);  // [heads, N, head_dim]
  return out_proj_(merged.transpose(0, 1).reshape({n, -1}));
}

}  // namespace seer::models::bagel
