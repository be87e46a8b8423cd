#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "seer/models/face_expression_input.hpp"

namespace seer::models {

namespace {

// Where the image sits on one axis of its padded square.
struct AxisPadding {
  std::int64_t before = 0;
  std::int64_t padded_length = 0;
};

// face-api's padToSquare: the larger half of the padding goes after the image.
AxisPadding centred_padding(std::int64_t length, std::int64_t square) {
  return {(square - length) / 2, square};
}

// tf.image.resizeBilinear without half-pixel centres: destination j reads source j × scale.
at::Tensor bilinear_axis(const at::Tensor& pixels, std::int64_t dim, AxisPadding padding,
                         std::int64_t size) {
  const std::int64_t length = pixels.size(dim);
  const std::int64_t after = padding.padded_length - length - padding.before;
  at::Tensor padded = pixels;
  if (padding.before > 0 || after > 0) {
    std::vector<std::int64_t> pad(2 * static_cast<std::size_t>(pixels.dim()), 0);
    // constant_pad_nd lists the last dimension first.
    const auto slot = 2 * static_cast<std::size_t>(pixels.dim() - 1 - dim);
    pad[slot] = padding.before;
    pad[slot + 1] = after;
    padded = at::constant_pad_nd(pixels, pad, 0.0);
  }
  const double scale = static_cast<double>(padding.padded_length) / static_cast<double>(size);
  const at::Tensor source = at::arange(size, at::kDouble) * scale;
  const at::Tensor first = source.floor().to(at::kLong);
  const at::Tensor second = (first + 1).clamp_max(padding.padded_length - 1);
  std::vector<std::int64_t> weight_shape(static_cast<std::size_t>(pixels.dim()), 1);
  weight_shape[static_cast<std::size_t>(dim)] = size;
  const at::Tensor weight = (source - first.to(at::kDouble)).to(at::kFloat).view(weight_shape);
  const at::Tensor low = padded.index_select(dim, first);
  return low + (padded.index_select(dim, second) - low) * weight;
}

// Pixel-area averaging: every destination pixel is the mean of the source interval it
// covers, fractional ends included, read off a running sum (in double, to keep small
// differences of large sums exact enough).
at::Tensor area_axis(const at::Tensor& pixels, std::int64_t dim, AxisPadding padding,
                     std::int64_t size) {
  const std::int64_t length = pixels.size(dim);
  std::vector<std::int64_t> zero_shape = pixels.sizes().vec();
  zero_shape[static_cast<std::size_t>(dim)] = 1;
  const at::Tensor running =
      at::cat({at::zeros(zero_shape, at::kDouble), pixels.to(at::kDouble).cumsum(dim)}, dim);

  const double step = static_cast<double>(padding.padded_length) / static_cast<double>(size);
  const at::Tensor edges = (at::arange(size + 1, at::kDouble) * step - padding.before)
                               .clamp(0.0, static_cast<double>(length));
  // The running sum at fractional positions: linear between whole pixels.
  const at::Tensor whole = edges.floor().clamp_max(static_cast<double>(length - 1));
  const at::Tensor index = whole.to(at::kLong);
  std::vector<std::int64_t> weight_shape(static_cast<std::size_t>(pixels.dim()), 1);
  weight_shape[static_cast<std::size_t>(dim)] = size + 1;
  const at::Tensor fraction = (edges - whole).view(weight_shape);
  const at::Tensor below = running.index_select(dim, index);
  const at::Tensor at_edges = below + (running.index_select(dim, index + 1) - below) * fraction;
  const at::Tensor sums = at_edges.narrow(dim, 1, size) - at_edges.narrow(dim, 0, size);
  return (sums / step).to(at::kFloat);
}

at::Tensor resize_axis(const at::Tensor& pixels, std::int64_t dim, AxisPadding padding,
                       std::int64_t size, FaceResize resize) {
  return resize == FaceResize::area ? area_axis(pixels, dim, padding, size)
                                    : bilinear_axis(pixels, dim, padding, size);
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
  const at::Tensor planes = bytes.permute({2, 0, 1}).to(at::kFloat);
  const std::int64_t square = std::max(height, width);
  const at::Tensor rows = resize_axis(planes, 1, centred_padding(height, square), size, resize);
  const at::Tensor pixels = resize_axis(rows, 2, centred_padding(width, square), size, resize);
  return pixels.contiguous().unsqueeze(0);
}

}  // namespace seer::models
