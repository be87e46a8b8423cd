#pragma once

// One image as the LLM sees it: <|vision_start|>, the ViT tokens, <|vision_end|>.

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "seer/models/language_model.hpp"
#include "seer/models/vision_tower.hpp"

namespace seer::models {

// Rows an image of `pixels` [3, H, W] takes in the cache: its patches plus the two markers.
std::int64_t image_segment_length(const at::Tensor& pixels, std::int64_t patch_size);

// The bidirectional segment of one [3, H, W] image, every row at RoPE position `position`.
LanguageSegment image_segment(const LanguageModel& language, const VisionTower& vision,
                              const at::Tensor& pixels, std::int64_t position);

}  // namespace seer::models
