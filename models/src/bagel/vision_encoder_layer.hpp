#pragma once

// One pre-LN SigLIP encoder block, with attention confined to each packed image.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

#include "bagel/vision_activation.hpp"
#include "bagel/vision_weights.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models::bagel {

class VisionEncoderLayer {
 public:
  // Loads `prefix`.{layer_norm1,self_attn.*,layer_norm2,mlp.*}.
  VisionEncoderLayer(const WeightReader& reader, const std::string& prefix,
                     const VisionConfig& config);

  // x: [N, hidden], the patches of several images back to back, `image_lengths` patches each.
  at::Tensor forward(const at::Tensor& x, at::IntArrayRef image_lengths) const;

 private:
  at::Tensor self_attention(const at::Tensor& x, at::IntArrayRef image_lengths) const;

  std::int64_t heads_;
  Activation activation_;
  LayerNormWeights layer_norm1_, layer_norm2_;
  LinearWeights qkv_proj_;  // q_proj, k_proj and v_proj joined at load: one product
  LinearWeights out_proj_;
  LinearWeights fc1_, fc2_;
};

}  // namespace seer::models::bagel
