#pragma once

// BAGEL's image preprocessing for understanding (spec bagel.md §5): RGB conversion, the
// MaxLongEdgeMinShortEdge resize with PIL's antialiased bicubic filter, normalisation to
// [-1, 1], patchify and the ViT position ids. Input is raw 8-bit pixels, so no image library
// is needed here.

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "seer/models/image_resize.hpp"

namespace seer::models {

// ToTensor + Normalize(0.5, 0.5): a [3, H, W] float32 tensor with values in [-1, 1].
at::Tensor normalized_pixels(const RgbImage& image);

// The whole path: RGB, the configured resizes, normalisation. [3, H, W] float32 on the CPU.
at::Tensor preprocess_image(const ImageView& image,
                            const ImagePreprocessing& settings = ImagePreprocessing::chat());

// [3, H, W] → [N, p·p·3]: patches in raster order, each flattened as (row in patch,
// column in patch, channel), channel fastest.
at::Tensor patchify(const at::Tensor& pixels, int patch_size);

// The ViT's grid side, image_size / patch_size (70 for BAGEL: 980 / 14).
int max_patches_per_side(int image_size, int patch_size);

// Flattened position ids of the patches of a [3, height, width] image: row · side + column,
// side being max_patches_per_side (not the image's own width); int64 [N].
at::Tensor vit_position_ids(std::int64_t height, std::int64_t width, int patch_size,
                            int patches_per_side);

}  // namespace seer::models
