#include "bagel/language_weights.hpp"

#include <ATen/ATen.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "seer/models/safetensors.hpp"

namespace seer::models {
namespace {

const std::string kModelPrefix = "language_model.model.";

}  // namespace

std::vector<CheckpointTensor> language_understanding_tensors(const LanguageConfig& config) {
  const std::int64_t hidden = config.hidden_size;
  const std::int64_t kv_width = config.num_kv_heads * config.head_dim;
  const std::int64_t mlp = config.intermediate_size;
  std::vector<CheckpointTensor> expected{
      {kModelPrefix + "embed_tokens.weight", {config.vocab_size, hidden}}};
  for (std::int64_t layer = 0; layer < config.num_layers; ++layer) {
    const std::string p = kModelPrefix + "layers." + std::to_string(layer) + ".";
    const std::vector<CheckpointTensor> layer_tensors{
        {p + "input_layernorm.weight", {hidden}},
        {p + "self_attn.q_proj.weight", {hidden, hidden}},
        {p + "self_attn.q_proj.bias", {hidden}},
        {p + "self_attn.k_proj.weight", {kv_width, hidden}},
        {p + "self_attn.k_proj.bias", {kv_width}},
        {p + "self_attn.v_proj.weight", {kv_width, hidden}},
        {p + "self_attn.v_proj.bias", {kv_width}},
        {p + "self_attn.o_proj.weight", {hidden, hidden}},
        {p + "self_attn.q_norm.weight", {config.head_dim}},
        {p + "self_attn.k_norm.weight", {config.head_dim}},
        {p + "post_attention_layernorm.weight", {hidden}},
        {p + "mlp.gate_proj.weight", {mlp, hidden}},
        {p + "mlp.up_proj.weight", {mlp, hidden}},
        {p + "mlp.down_proj.weight", {hidden, mlp}},
    };
    expected.insert(expected.end(), layer_tensors.begin(), layer_tensors.end());
  }
  expected.push_back({kModelPrefix + "norm.weight", {hidden}});
  expected.push_back({"language_model.lm_head.weight", {config.vocab_size, hidden}});
  return expected;
}

LanguageWeights load_language_weights(const LanguageConfig& config,
                                      const SafetensorsFile& checkpoint, at::ScalarType dtype,
                                      at::Device device, const LoadProgress& progress) {
  if (!config.qk_norm) {
    throw std::invalid_argument("BAGEL's language model needs qk_norm; the config turns it off");
  }
  const std::vector<CheckpointTensor> expected = language_understanding_tensors(config);
  for (const CheckpointTensor& tensor : expected) checkpoint.expect_shape(tensor.key, tensor.shape);

  LoadOptions options;
  options.float_dtype = dtype;
  options.device = device;
  std::uint64_t bytes_total = 0;
  for (const CheckpointTensor& tensor : expected)
    bytes_total += checkpoint.require(tensor.key).nbytes;
  std::uint64_t bytes_done = 0;
  auto next = expected.begin();
  const auto load_next = [&] {
    const std::string& key = (next++)->key;
    at::Tensor tensor = checkpoint.load(key, options);
    bytes_done += checkpoint.require(key).nbytes;
    if (progress) progress(bytes_done, bytes_total);
    return tensor;
  };

  LanguageWeights weights;
  weights.embed_tokens = load_next();
  weights.layers.resize(static_cast<std::size_t>(config.num_layers));
  for (LanguageLayerWeights& layer : weights.layers) {
    layer.input_norm = load_next();
    layer.q_proj = load_next();
    layer.q_bias = load_next();
    layer.k_proj = load_next();
    layer.k_bias = load_next();
    layer.v_proj = load_next();
    layer.v_bias = load_next();
    layer.o_proj = load_next();
    layer.q_norm = load_next();
    layer.k_norm = load_next();
    layer.post_attention_norm = load_next();
    layer.gate_proj = load_next();
    layer.up_proj = load_next();
    layer.down_proj = load_next();
  }
  weights.final_norm = load_next();
  weights.lm_head = load_next();
  return weights;
}

}  // namespace seer::models
