// NaViT packing of one image (spec §4.2, §4.3): patches in raster order and their position ids.

#include <ATen/ATen.h>

#include <string>

#include "seer/models/image_preprocessing.hpp"

namespace seer::models {

at::Tensor patchify(const at::Tensor& pixels, int patch_size) {
  if (patch_size <= 0) throw ImagePreprocessingError("patch size must be positive");
  if (pixels.dim() != 3) {
    throw ImagePreprocessingError("patchify expects [channels, height, width], got " +
                                  std::to_string(pixels.dim()) + " dimensions");
  }
  const std::int64_t channels = pixels.size(0);
  const std::int64_t height = pixels.size(1);
  const std::int64_t width = pixels.size(2);
  if (height % patch_size != 0 || width % patch_size != 0) {
    throw ImagePreprocessingError("image of " + std::to_string(width) + "x" +
                                  std::to_string(height) + " is not a multiple of patch size " +
                                  std::to_string(patch_size));
  }
  const std::int64_t p = patch_size;
  // [c, rows, p, cols, p] → [rows, cols, p, p, c]: the official einsum "chpwq->hwpqc".
  return pixels.reshape({channels, height / p, p, width / p, p})
      .permute({1, 3, 2, 4, 0})
      .reshape({-1, p * p * channels});
}

int max_patches_per_side(int image_size, int patch_size) {
  if (image_size <= 0 || patch_size <= 0 || image_size % patch_size != 0) {
    throw ImagePreprocessingError("image_size " + std::to_string(image_size) +
                                  " must be a positive multiple of patch_size " +
                                  std::to_string(patch_size));
  }
  return image_size / patch_size;
}

at::Tensor vit_position_ids(std::int64_t height, std::int64_t width, int patch_size,
                            int patches_per_side) {
  if (patch_size <= 0 || patches_per_side <= 0) {
    throw ImagePreprocessingError("patch size and patches per side must be positive");
  }
  const std::int64_t rows = height / patch_size;
  const std::int64_t cols = width / patch_size;
  if (rows <= 0 || cols <= 0 || rows > patches_per_side || cols > patches_per_side) {
    throw ImagePreprocessingError("a " + std::to_string(cols) + "x" + std::to_string(rows) +
                                  " patch grid does not fit the position table's side of " +
                                  std::to_string(patches_per_side));
  }
  const at::Tensor row = at::arange(rows, at::kLong).unsqueeze(1);
  const at::Tensor col = at::arange(cols, at::kLong).unsqueeze(0);
  // Stride is the table's side, not the image's width in patches ("extrapolate" mode).
  return (row * patches_per_side + col).flatten();
}

}  // namespace seer::models
