#pragma once

// Turning a face crop into FaceExpressionNet's input: padded to a square with zeros (centred,
// like face-api's padToSquare) and resized to 112×112, as float RGB in 0..255.

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>

namespace seer::models {

inline constexpr int kFaceExpressionInputSize = 112;

// 8-bit RGB pixels, row by row; `stride` is the bytes from one row to the next.
struct RgbImageView {
  const std::uint8_t* pixels = nullptr;
  int width = 0;
  int height = 0;
  std::size_t stride = 0;
};

enum class FaceResize {
  // tf.image.resizeBilinear as face-api calls it: source = destination × scale, no
  // half-pixel offset and no antialiasing.
  bilinear,
  // Pixel-area averaging, the same weights as OpenCV's INTER_AREA (shrinking and enlarging).
  area,
};

// [1, 3, size, size] float32 RGB in 0..255. Throws std::invalid_argument for an empty view, a
// null pointer or a stride shorter than a row.
at::Tensor face_expression_input(const RgbImageView& face, FaceResize resize,
                                 int size = kFaceExpressionInputSize);

}  // namespace seer::models
