#include "bagel/vision_weights.hpp"

#include <ATen/ATen.h>

namespace seer::models::bagel {

std::vector<CheckpointTensor> vision_understanding_tensors(const VisionConfig& config,
                                                           std::int64_t llm_hidden) {
  const std::string vit = "vit_model.vision_model.";
  const std::int64_t hidden = config.hidden_size;
  const std::int64_t mlp = config.intermediate_size;
  std::vector<CheckpointTensor> expected{
      {vit + "embeddings.patch_embedding.weight", {hidden, config.patch_dim()}},
      {vit + "embeddings.patch_embedding.bias", {hidden}},
      {vit + "embeddings.position_embedding.weight", {config.position_count(), hidden}},
  };
  for (std::int64_t layer = 0; layer < config.layers_used(); ++layer) {
    const std::string p = vit + "encoder.layers." + std::to_string(layer) + ".";
    for (const char* norm : {"layer_norm1", "layer_norm2"}) {
      expected.push_back({p + norm + ".weight", {hidden}});
      expected.push_back({p + norm + ".bias", {hidden}});
    }
    for (const char* projection : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
      expected.push_back({p + "self_attn." + projection + ".weight", {hidden, hidden}});
      expected.push_back({p + "self_attn." + projection + ".bias", {hidden}});
    }
    expected.push_back({p + "mlp.fc1.weight", {mlp, hidden}});
    expected.push_back({p + "mlp.fc1.bias", {mlp}});
    expected.push_back({p + "mlp.fc2.weight", {hidden, mlp}});
    expected.push_back({p + "mlp.fc2.bias", {hidden}});
  }
  const std::vector<CheckpointTensor> tail{
      {vit + "post_layernorm.weight", {hidden}},
      {vit + "post_layernorm.bias", {hidden}},
      {"connector.fc1.weight", {llm_hidden, hidden}},
      {"connector.fc1.bias", {llm_hidden}},
      {"connector.fc2.weight", {llm_hidden, llm_hidden}},
      {"connector.fc2.bias", {llm_hidden}},
      {"vit_pos_embed.pos_embed", {config.position_count(), llm_hidden}},
  };
  expected.insert(expected.end(), tail.begin(), tail.end());
  return expected;
}

at::Tensor LinearWeights::operator()(const at::Tensor& x) const {
  return at::linear(x, weight, bias);
}

at::Tensor LayerNormWeights::operator()(const at::Tensor& x) const {
  return at::layer_norm(x, {weight.size(0)}, weight, bias, eps);
}

at::Tensor WeightReader::tensor(const std::string& key, at::IntArrayRef shape) const {
  file_.expect_shape(key, shape);
  return file_.load(key, options_);
}

LinearWeights WeightReader::linear(const std::string& prefix, std::int64_t out,
                                   std::int64_t in) const {
  return {tensor(prefix + ".weight", {out, in}), tensor(prefix + ".bias", {out})};
}

LayerNormWeights WeightReader::layer_norm(const std::string& prefix, std::int64_t size,
                                          double eps) const {
  return {tensor(prefix + ".weight", {size}), tensor(prefix + ".bias", {size}), eps};
}

const std::vector<std::int64_t>& WeightReader::shape_of(const std::string& key) const {
  return file_.require(key).shape;
}

}  // namespace seer::models::bagel
