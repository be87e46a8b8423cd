#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "seer/models/face_expression_input.hpp"

namespace seer::models {

namespace {

// Where the image sits on one axis of its padded square.
struct AxisPadding {
  std::int64_t length = 0;  // of the image
  std::int64_t before = 0;  // zero pixels before it
  std::int64_t padded_length = 0;
};

// face-api's padToSquare: the larger half of the padding goes after the image.
AxisPadding centred_padding(std::int64_t length, std::int64_t square) {
  return {length, (square - length) / 2, square};
}

// Each destination pixel of one axis as a weighted sum of `taps_per_pixel` source pixels.
// Padding pixels are zero, so they are taps of weight 0.
struct Taps {
  std::int64_t taps_per_pixel = 0;
  std::vector<std::int64_t> index;  // [size × taps_per_pixel], into the unpadded image
  std::vector<float> weight;

  void add(const AxisPadding& axis, std::int64_t padded_index, double tap_weight) {
    const std::int64_t source = padded_index - axis.before;
    const bool inside = source >= 0 && source < axis.length;
    index.push_back(std::clamp<std::int64_t>(source, 0, axis.length - 1));
    weight.push_back(inside ? static_cast<float>(tap_weight) : 0.0F);
  }
};

// tf.image.resizeBilinear without half-pixel centres: destination j reads source j × scale.
Taps bilinear_taps(const AxisPadding& axis, std::int64_t size) {
  Taps taps{.taps_per_pixel = 2};
  const double scale = static_cast<double>(axis.padded_length) / static_cast<double>(size);
  for (std::int64_t j = 0; j < size; ++j) {
    const double source = static_cast<double>(j) * scale;
    const auto first = static_cast<std::int64_t>(std::floor(source));
    const double fraction = source - static_cast<double>(first);
    taps.add(axis, first, 1.0 - fraction);
    taps.add(axis, std::min(first + 1, axis.padded_length - 1), fraction);
  }
  return taps;
}

// Pixel-area averaging: a destination pixel covers [j, j + 1) × step of the source and takes
// each source pixel in proportion to the part of it covered. Shrinking, these are OpenCV's
// INTER_AREA weights; enlarging too (its "fx" blend at pixel borders).
Taps area_taps(const AxisPadding& axis, std::int64_t size) {
  const double step = static_cast<double>(axis.padded_length) / static_cast<double>(size);
  Taps taps{.taps_per_pixel = static_cast<std::int64_t>(std::ceil(step)) + 1};
  for (std::int64_t j = 0; j < size; ++j) {
    const double begin = static_cast<double>(j) * step;
    const double end = std::min(begin + step, static_cast<double>(axis.padded_length));
    const auto first = static_cast<std::int64_t>(std::floor(begin));
    for (std::int64_t k = 0; k < taps.taps_per_pixel; ++k) {
      const auto pixel = static_cast<double>(first + k);
      const double covered = std::min(end, pixel + 1.0) - std::max(begin, pixel);
      taps.add(axis, first + k, std::max(covered, 0.0) / step);
    }
  }
  return taps;
}

// Resamples dimension `dim` of `pixels` to the taps' size: gather, weigh, sum.
at::Tensor resample(const at::Tensor& pixels, std::int64_t dim, const Taps& taps) {
  const auto size = static_cast<std::int64_t>(taps.index.size()) / taps.taps_per_pixel;
  const at::Tensor index = at::tensor(taps.index, at::kLong);
  std::vector<std::int64_t> shape = pixels.sizes().vec();
  shape[static_cast<std::size_t>(dim)] = size;
  shape.insert(shape.begin() + dim + 1, taps.taps_per_pixel);
  std::vector<std::int64_t> weight_shape(shape.size(), 1);
  weight_shape[static_cast<std::size_t>(dim)] = size;
  weight_shape[static_cast<std::size_t>(dim) + 1] = taps.taps_per_pixel;
  const at::Tensor weight = at::tensor(taps.weight, at::kFloat).view(weight_shape);
  return (pixels.index_select(dim, index).view(shape) * weight).sum(dim + 1);
}

Taps taps_for(const AxisPadding& axis, std::int64_t size, FaceResize resize) {
  return resize == FaceResize::area ? area_taps(axis, size) : bilinear_taps(axis, size);
}

void check_view(const RgbImageView& face, int size) {
  if (face.pixels == nullptr) throw std::invalid_argument("face crop: no pixels");
  if (face.width <= 0 || face.height <= 0) {
    throw std::invalid_argument("face crop: empty (" + std::to_string(face.width) + "x" +
                                std::to_string(face.height) + ")");
  }
  if (face.stride < 3 * static_cast<std::size_t>(face.width)) {
    throw std::invalid_argument("face crop: stride " + std::to_string(face.stride) +
                                " is shorter than a row of " + std::to_string(face.width) +
                                " RGB pixels");
  }
  if (size <= 0) throw std::invalid_argument("face crop: output size must be positive");
}

}  // namespace

at::Tensor face_expression_input(const RgbImageView& face, FaceResize resize, int size) {
  check_view(face, size);
  const std::int64_t height = face.height;
  const std::int64_t width = face.width;
  // from_blob wants a mutable pointer; the view is only read (converted to float at once).
  const at::Tensor bytes = at::from_blob(const_cast<std::uint8_t*>(face.pixels), {height, width, 3},
                                         {static_cast<std::int64_t>(face.stride), 3, 1}, at::kByte);
  const at::Tensor planes = bytes.permute({2, 0, 1}).to(at::kFloat).contiguous();
  const std::int64_t square = std::max(height, width);
  // Columns first: they are the contiguous dimension of the larger tensor.
  const at::Tensor columns =
      resample(planes, 2, taps_for(centred_padding(width, square), size, resize));
  const at::Tensor pixels =
      resample(columns, 1, taps_for(centred_padding(height, square), size, resize));
  return pixels.contiguous().unsqueeze(0);
}

}  // namespace seer::models
