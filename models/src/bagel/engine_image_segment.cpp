#include "engine_image_segment.hpp"

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "seer/models/bagel_engine.hpp"
#include "seer/models/image_preprocessing.hpp"

namespace seer::models {

std::int64_t image_segment_length(const at::Tensor& pixels, std::int64_t patch_size) {
  if (pixels.dim() != 3 || pixels.size(0) != 3) {
    throw GenerationRequestError("an image must be a [3, H, W] tensor, got " +
                                 std::to_string(pixels.dim()) + " dimensions");
  }
  return (pixels.size(1) / patch_size) * (pixels.size(2) / patch_size) + 2;
}

LanguageSegment image_segment(const LanguageModel& language, const VisionTower& vision,
                              const at::Tensor& pixels, std::int64_t position) {
  const VisionConfig& config = vision.config();
  const auto patch = static_cast<int>(config.patch_size);
  const auto device_options = at::TensorOptions().device(language.device());
  const at::Tensor patches =
      patchify(pixels.to(at::kFloat).cpu(), patch).to(device_options.dtype(language.dtype()));
  const at::Tensor position_ids = vit_position_ids(pixels.size(1), pixels.size(2), patch,
                                                   static_cast<int>(config.max_patches_per_side()))
                                      .to(device_options);
  const at::Tensor vit_tokens = vision.encode_image(patches, position_ids).to(language.dtype());

  const std::vector<std::int64_t> marker_ids{kVisionStartId, kVisionEndId};
  const at::Tensor markers = language.embed(at::tensor(marker_ids, at::kLong).to(device_options));
  const at::Tensor embeddings =
      at::cat({markers.narrow(0, 0, 1), vit_tokens, markers.narrow(0, 1, 1)});
  // The whole block shares one RoPE position and sees itself in full (spec §4.5, §6).
  return {
      .embeddings = embeddings,
      .positions = at::full({embeddings.size(0)}, position, device_options.dtype(at::kLong)),
      .attention = SegmentAttention::kBidirectional,
  };
}

}  // namespace seer::models
