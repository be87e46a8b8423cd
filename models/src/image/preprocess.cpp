// The understanding path's preprocessing (spec §5.1): RGB, resizes, ToTensor, Normalize.

#include <ATen/ATen.h>

#include <cstddef>
#include <cstdint>

#include "seer/models/image_preprocessing.hpp"

namespace seer::models {

at::Tensor normalized_pixels(const RgbImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height * 3) {
    throw ImagePreprocessingError(
        "normalized_pixels: the image is empty or its pixel buffer "
        "does not hold width x height x 3 bytes");
  }
  // from_blob does not copy; the permute + contiguous below does, before `image` can go away.
  const at::Tensor hwc = at::from_blob(const_cast<std::uint8_t*>(image.pixels.data()),
                                       {image.height, image.width, 3}, at::kByte);
  // Same float32 operations as torchvision: x / 255, then (x − 0.5) / 0.5.
  const at::Tensor unit = hwc.permute({2, 0, 1}).contiguous().to(at::kFloat).div(255);
  return unit.sub(0.5).div(0.5);
}

at::Tensor preprocess_image(const ImageView& image, const ImagePreprocessing& settings) {
  RgbImage rgb = to_rgb(image);
  if (settings.pre_resize) {
    rgb = resize_bicubic(rgb, resized_size({rgb.width, rgb.height}, *settings.pre_resize));
  }
  rgb = resize_bicubic(rgb, resized_size({rgb.width, rgb.height}, settings.vit_resize));
  return normalized_pixels(rgb);
}

}  // namespace seer::models
