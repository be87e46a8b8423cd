#pragma once

// BAGEL's vision path: patchified pixels -> SigLIP NaViT tower (all but its last layer, then
// post_layernorm) -> connector MLP -> + 2D sin-cos position table = image embeddings for the LLM.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <memory>

#include "seer/models/safetensors.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models {

// Every stage of one encode, for parity tests and debugging.
struct VisionOutputs {
  at::Tensor vit_out;        // [N, vit hidden], after post_layernorm
  at::Tensor connector_out;  // [N, llm hidden], before vit_pos_embed
  at::Tensor embeddings;     // [N, llm hidden], connector_out + vit_pos_embed rows
};

// Inputs to every encode call:
// - patches [N, patch_dim]: each patch flattened as (row in patch, column in patch, channel),
//   patches of an image in raster order, images back to back;
// - position_ids [N] int64: row * max_patches_per_side + column of each patch (70 for the
//   release, whatever the image's own width);
// - image_lengths: patches per image, summing to N. Images never attend to one another.
class VisionTower {
 public:
  // Loads `vit_model.vision_model.*`, `connector.*` and `vit_pos_embed.pos_embed` from
  // `checkpoint` as `options` says (float_dtype and device; filter and progress are ignored).
  // Throws SafetensorsError naming the key when a tensor is missing or has the wrong shape.
  VisionTower(const SafetensorsFile& checkpoint, VisionConfig config,
              const LoadOptions& options = {});
  // Reads `model_dir`/vit_config.json and `model_dir`/ema.safetensors.
  static VisionTower load(const std::filesystem::path& model_dir, const LoadOptions& options = {});

  VisionTower(VisionTower&&) noexcept;
  VisionTower& operator=(VisionTower&&) noexcept;
  ~VisionTower();

  const VisionConfig& config() const { return config_; }
  std::int64_t llm_hidden_size() const;  // from connector.fc1's shape

  // The image embeddings that enter the LLM, [N, llm hidden].
  at::Tensor encode_images(const at::Tensor& patches, const at::Tensor& position_ids,
                           at::IntArrayRef image_lengths) const;
  // One image: all N patches form a single attention segment.
  at::Tensor encode_image(const at::Tensor& patches, const at::Tensor& position_ids) const;
  VisionOutputs encode_with_stages(const at::Tensor& patches, const at::Tensor& position_ids,
                                   at::IntArrayRef image_lengths) const;

 private:
  struct Weights;

  at::Tensor vit(const at::Tensor& patches, const at::Tensor& position_ids,
                 at::IntArrayRef image_lengths) const;
  at::Tensor connect(const at::Tensor& vit_out) const;
  void check_inputs(const at::Tensor& patches, const at::Tensor& position_ids,
                    at::IntArrayRef image_lengths) const;

  VisionConfig config_;
  std::unique_ptr<Weights> weights_;
};

}  // namespace seer::models
