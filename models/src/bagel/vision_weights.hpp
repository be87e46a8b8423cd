#pragma once

// Linear and LayerNorm weights as plain tensors, and a reader that checks each tensor's shape
// against the config before loading it, so a mismatched checkpoint fails naming the key.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "seer/models/checkpoint_layout.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models::bagel {

struct LinearWeights {
  at::Tensor weight;  // [out, in]
  at::Tensor bias;    // [out]
  at::Tensor operator()(const at::Tensor& x) const;
};

struct LayerNormWeights {
  at::Tensor weight;
  at::Tensor bias;
  double eps = 1e-6;
  at::Tensor operator()(const at::Tensor& x) const;
};

// Every key the vision path reads, with its shape: the tower's used layers and post_layernorm,
// the connector into a language model `llm_hidden` wide, and vit_pos_embed.
std::vector<CheckpointTensor> vision_understanding_tensors(const VisionConfig& config,
                                                           std::int64_t llm_hidden);

class WeightReader {
 public:
  WeightReader(const SafetensorsFile& file, LoadOptions options)
      : file_(file), options_(std::move(options)) {}

  // Throws SafetensorsError naming `key` when it is missing or has another shape.
  at::Tensor tensor(const std::string& key, at::IntArrayRef shape) const;
  // `prefix`.weight [out, in] and `prefix`.bias [out].
  LinearWeights linear(const std::string& prefix, std::int64_t out, std::int64_t in) const;
  // `prefix`.weight and `prefix`.bias, both [size].
  LayerNormWeights layer_norm(const std::string& prefix, std::int64_t size, double eps) const;
  // The stored shape of `key` (for sizes that only the checkpoint records).
  const std::vector<std::int64_t>& shape_of(const std::string& key) const;

 private:
  const SafetensorsFile& file_;
  LoadOptions options_;
};

}  // namespace seer::models::bagel
