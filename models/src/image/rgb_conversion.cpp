// pil_img2rgb (BAGEL data/data_utils.py): RGBA onto a white background, grey to RGB.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "seer/models/image_resize.hpp"

namespace seer::models {
namespace {

void check_view(const ImageView& image) {
  if (image.data == nullptr) throw ImagePreprocessingError("image has no pixel data (null)");
  if (image.width <= 0 || image.height <= 0) {
    throw ImagePreprocessingError("image size must be positive, got " +
                                  std::to_string(image.width) + "x" + std::to_string(image.height));
  }
  if (image.channels != 1 && image.channels != 3 && image.channels != 4) {
    throw ImagePreprocessingError("image must have 1 (grey), 3 (RGB) or 4 (RGBA) channels, got " +
                                  std::to_string(image.channels));
  }
  const std::size_t packed = static_cast<std::size_t>(image.width) * image.channels;
  if (image.row_stride != 0 && image.row_stride < packed) {
    throw ImagePreprocessingError("row stride " + std::to_string(image.row_stride) +
                                  " is shorter than a row of " + std::to_string(packed) + " bytes");
  }
  constexpr auto kMaxPixels = static_cast<std::size_t>(std::numeric_limits<int>::max()) / 4;
  if (static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) > kMaxPixels) {
    throw ImagePreprocessingError("image of " + std::to_string(image.width) + "x" +
                                  std::to_string(image.height) + " pixels is too large");
  }
}

// PIL's paste-with-mask blend: round(background·(255−a) + colour·a) / 255 in integers.
std::uint8_t blend_over(std::uint8_t background, std::uint8_t colour, std::uint8_t alpha) {
  const unsigned weighted = background * (255u - alpha) + colour * unsigned{alpha} + 128u;
  return static_cast<std::uint8_t>(((weighted >> 8) + weighted) >> 8);
}

}  // namespace

RgbImage to_rgb(const ImageView& image) {
  check_view(image);
  const std::size_t stride = image.row_stride != 0
                                 ? image.row_stride
                                 : static_cast<std::size_t>(image.width) * image.channels;
  RgbImage rgb{.width = image.width,
               .height = image.height,
               .pixels = std::vector<std::uint8_t>(static_cast<std::size_t>(image.width) *
                                                   image.height * 3)};
  std::uint8_t* out = rgb.pixels.data();
  for (int y = 0; y < image.height; ++y) {
    const std::uint8_t* in = image.data + static_cast<std::size_t>(y) * stride;
    for (int x = 0; x < image.width; ++x, in += image.channels, out += 3) {
      if (image.channels == 1) {
        out[0] = out[1] = out[2] = in[0];
      } else if (image.channels == 3) {
        out[0] = in[0], out[1] = in[1], out[2] = in[2];
      } else {
        for (int c = 0; c < 3; ++c) out[c] = blend_over(255, in[c], in[3]);
      }
    }
  }
  return rgb;
}

}  // namespace seer::models
