// MaxLongEdgeMinShortEdgeResize's size rule (BAGEL data/transforms.py), spec §5.2.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "seer/models/image_resize.hpp"

namespace seer::models {
namespace {

void check_limits(const ResizeLimits& limits) {
  if (limits.max_size <= 0 || limits.min_size <= 0 || limits.stride <= 0 ||
      limits.max_pixels <= 0) {
    throw ImagePreprocessingError(
        "resize limits must be positive (max_size " + std::to_string(limits.max_size) +
        ", min_size " + std::to_string(limits.min_size) + ", stride " +
        std::to_string(limits.stride) + ", max_pixels " + std::to_string(limits.max_pixels) + ")");
  }
}

// _make_divisible: the nearest multiple of the stride, never below one stride.
int make_divisible(double value, int stride) {
  const double multiple = round_half_even(value / stride) * stride;
  return std::max(stride, static_cast<int>(multiple));
}

// _apply_scale: both sides scaled, rounded like Python, then snapped to the stride.
ImageSize apply_scale(ImageSize size, double scale, int stride) {
  return {make_divisible(round_half_even(size.width * scale), stride),
          make_divisible(round_half_even(size.height * scale), stride)};
}

}  // namespace

double round_half_even(double value) {
  const double lower = std::floor(value);
  const double fraction = value - lower;  // exact for the magnitudes of image sizes
  if (fraction < 0.5) return lower;
  if (fraction > 0.5) return lower + 1.0;
  return std::fmod(lower, 2.0) == 0.0 ? lower : lower + 1.0;
}

ImageSize resized_size(ImageSize input, const ResizeLimits& limits, int image_count) {
  check_limits(limits);
  if (input.width <= 0 || input.height <= 0) {
    throw ImagePreprocessingError("cannot resize an image of size " + std::to_string(input.width) +
                                  "x" + std::to_string(input.height));
  }
  if (image_count <= 0) throw ImagePreprocessingError("image_count must be positive");

  const double long_side = std::max(input.width, input.height);
  const double short_side = std::min(input.width, input.height);
  double scale = std::min(limits.max_size / long_side, 1.0);
  scale = std::max(scale, limits.min_size / short_side);  // small images are upscaled
  // Python's ints cannot overflow, ours can: a sliver (1 x 10^7) upscaled to the minimum side
  // would pass INT_MAX before the later steps shrink it, so it is refused.
  if (long_side * scale > std::numeric_limits<int>::max() - 2.0 * limits.stride) {
    throw ImagePreprocessingError(
        "cannot resize an image of size " + std::to_string(input.width) + "x" +
        std::to_string(input.height) + ": upscaling its short side to " +
        std::to_string(limits.min_size) + " makes the long side too large");
  }
  ImageSize size = apply_scale(input, scale, limits.stride);

  // The official quirk: an area ratio applied as a length ratio.
  const double pixel_budget = static_cast<double>(limits.max_pixels) / image_count;
  const double area = static_cast<double>(size.width) * size.height;
  if (area > pixel_budget) size = apply_scale(size, pixel_budget / area, limits.stride);

  const int longest = std::max(size.width, size.height);
  if (longest > limits.max_size) {
    size = apply_scale(size, static_cast<double>(limits.max_size) / longest, limits.stride);
  }
  return size;
}

ImagePreprocessing ImagePreprocessing::chat() {
  return {.pre_resize = std::nullopt,
          .vit_resize = {.max_size = 980, .min_size = 378, .stride = 14, .max_pixels = 2007040}};
}

ImagePreprocessing ImagePreprocessing::inferencer() {
  return {.pre_resize =
              ResizeLimits{.max_size = 1024, .min_size = 512, .stride = 16, .max_pixels = 1806336},
          .vit_resize = {.max_size = 980, .min_size = 224, .stride = 14, .max_pixels = 1806336}};
}

}  // namespace seer::models
