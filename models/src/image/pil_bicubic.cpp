// PIL-compatible antialiased bicubic resampling on 8-bit RGB (Pillow's Image.resize with
// BICUBIC): fixed-point weights, one pass per axis, 8-bit rounding between the passes.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "seer/models/image_resize.hpp"

namespace seer::models {
namespace {

constexpr double kCubicA = -0.5;  // PIL's bicubic (Keys) parameter
constexpr double kCubicSupport = 2.0;
constexpr int kWeightBits = 22;  // 32 bits minus 8 for the pixel minus 2 for overshoot

double cubic_kernel(double x) {
  x = std::abs(x);
  if (x < 1.0) return ((kCubicA + 2.0) * x - (kCubicA + 3.0)) * x * x + 1.0;
  if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * kCubicA;
  return 0.0;
}

// For each output sample along one axis: the first input sample and the fixed-point
// weights of the input samples it reads.
struct AxisFilter {
  std::vector<int> first;
  std::vector<std::vector<std::int32_t>> weights;
};

AxisFilter bicubic_filter(int in_size, int out_size) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double widening = std::max(scale, 1.0);  // antialiasing: wider kernel when shrinking
  const double support = kCubicSupport * widening;
  const double inverse_widening = 1.0 / widening;  // PIL multiplies by the reciprocal
  AxisFilter filter;
  filter.first.resize(static_cast<std::size_t>(out_size));
  filter.weights.resize(static_cast<std::size_t>(out_size));
  std::vector<double> real_weights;
  for (int out = 0; out < out_size; ++out) {
    const double centre = (out + 0.5) * scale;
    // PIL truncates centre ± support + 0.5 towards zero, then clips to the image.
    const int begin = std::max(0, static_cast<int>(centre - support + 0.5));
    const int end = std::min(in_size, static_cast<int>(centre + support + 0.5));
    real_weights.assign(static_cast<std::size_t>(std::max(0, end - begin)), 0.0);
    double total = 0.0;
    for (std::size_t i = 0; i < real_weights.size(); ++i) {
      const double offset = static_cast<double>(begin + static_cast<int>(i)) - centre + 0.5;
      real_weights[i] = cubic_kernel(offset * inverse_widening);
      total += real_weights[i];
    }
    auto& fixed = filter.weights[static_cast<std::size_t>(out)];
    for (double weight : real_weights) {
      if (total != 0.0) weight /= total;
      const double scaled = weight * (1 << kWeightBits);
      fixed.push_back(static_cast<std::int32_t>(scaled < 0 ? scaled - 0.5 : scaled + 0.5));
    }
    filter.first[static_cast<std::size_t>(out)] = begin;
  }
  return filter;
}

// A weighted sum back to 8 bits: the accumulator starts at one half for rounding.
std::uint8_t to_byte(std::int32_t accumulator) {
  return static_cast<std::uint8_t>(std::clamp(accumulator >> kWeightBits, 0, 255));
}

constexpr std::int32_t kHalf = 1 << (kWeightBits - 1);

RgbImage resample_rows(const RgbImage& in, int out_width) {
  const AxisFilter filter = bicubic_filter(in.width, out_width);
  RgbImage out{
      .width = out_width,
      .height = in.height,
      .pixels = std::vector<std::uint8_t>(static_cast<std::size_t>(out_width) * in.height * 3)};
  for (int y = 0; y < in.height; ++y) {
    const std::uint8_t* row = in.pixels.data() + static_cast<std::size_t>(y) * in.width * 3;
    std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(y) * out_width * 3;
    for (int x = 0; x < out_width; ++x) {
      const auto& weights = filter.weights[static_cast<std::size_t>(x)];
      const std::uint8_t* src = row + static_cast<std::size_t>(filter.first[x]) * 3;
      for (int c = 0; c < 3; ++c) {
        std::int32_t sum = kHalf;
        for (std::size_t i = 0; i < weights.size(); ++i) sum += src[i * 3 + c] * weights[i];
        dst[x * 3 + c] = to_byte(sum);
      }
    }
  }
  return out;
}

RgbImage resample_columns(const RgbImage& in, int out_height) {
  const AxisFilter filter = bicubic_filter(in.height, out_height);
  const std::size_t row_bytes = static_cast<std::size_t>(in.width) * 3;
  RgbImage out{.width = in.width,
               .height = out_height,
               .pixels = std::vector<std::uint8_t>(row_bytes * out_height)};
  for (int y = 0; y < out_height; ++y) {
    const auto& weights = filter.weights[static_cast<std::size_t>(y)];
    const std::uint8_t* src = in.pixels.data() + filter.first[y] * row_bytes;
    std::uint8_t* dst = out.pixels.data() + static_cast<std::size_t>(y) * row_bytes;
    for (std::size_t byte = 0; byte < row_bytes; ++byte) {
      std::int32_t sum = kHalf;
      for (std::size_t i = 0; i < weights.size(); ++i)
        sum += src[i * row_bytes + byte] * weights[i];
      dst[byte] = to_byte(sum);
    }
  }
  return out;
}

}  // namespace

RgbImage resize_bicubic(const RgbImage& image, ImageSize size) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3) {
    throw ImagePreprocessingError(
        "resize_bicubic: the image is empty or its pixel buffer does "
        "not hold width x height x 3 bytes");
  }
  if (size.width <= 0 || size.height <= 0) {
    throw ImagePreprocessingError("resize_bicubic: target size must be positive, got " +
                                  std::to_string(size.width) + "x" + std::to_string(size.height));
  }
  // PIL skips an axis whose size does not change.
  RgbImage result = size.width != image.width ? resample_rows(image, size.width) : image;
  if (size.height != result.height) result = resample_columns(result, size.height);
  return result;
}

}  // namespace seer::models
