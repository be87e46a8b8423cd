// Image decoding and BAGEL's tensor-free preprocessing on arbitrary bytes: the image_io
// decoder (size checked from the header first), RGB conversion, the resize rule of the chat
// and inferencer settings, and PIL's bicubic resize. The resize rule is also run on the size
// written in the input's last 8 bytes, so that it sees sizes no decoder would hand out; every
// size it gives must be a whole patch grid that fits the ViT's position table (what patchify
// and the position ids need). The bicubic resize runs to a small size taken from the input
// (the rule's own sizes, 378 pixels and more, would make each run a hundred times slower).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <seer/image_io.hpp>
#include <span>

#include "seer/models/image_resize.hpp"

namespace models = seer::models;

namespace {

// BAGEL's ViT: 980-pixel images in 14-pixel patches, 70 per side.
constexpr int kPatchSize = 14;
constexpr int kPatchesPerSide = 980 / kPatchSize;

// The size preprocess_image resizes to, checked against the ViT's patch grid.
models::ImageSize checked_vit_size(models::ImageSize size,
                                   const models::ImagePreprocessing& settings) {
  if (settings.pre_resize) size = models::resized_size(size, *settings.pre_resize);
  const models::ImageSize vit = models::resized_size(size, settings.vit_resize);
  const int stride = settings.vit_resize.stride;
  if (vit.width < stride || vit.height < stride) std::abort();
  if (vit.width % stride != 0 || vit.height % stride != 0) std::abort();
  if (vit.width / kPatchSize > kPatchesPerSide || vit.height / kPatchSize > kPatchesPerSide) {
    std::abort();
  }
  return vit;
}

void check_resize_rule(models::ImageSize size) {
  for (const auto& settings :
       {models::ImagePreprocessing::chat(), models::ImagePreprocessing::inferencer()}) {
    try {
      checked_vit_size(size, settings);
    } catch (const models::ImagePreprocessingError&) {
      // A size the rule refuses, with a message.
    }
  }
}

std::uint8_t byte_at(const std::uint8_t* data, std::size_t size, std::size_t index) {
  return index < size ? data[index] : 0;
}

void preprocess(const seer::Image& image, const std::uint8_t* data, std::size_t size) {
  const models::ImageView view{.data = reinterpret_cast<const std::uint8_t*>(image.data.get()),
                               .width = image.width,
                               .height = image.height,
                               .channels = seer::channels(image.format),
                               .row_stride = image.stride};
  const models::RgbImage rgb = models::to_rgb(view);
  if (rgb.pixels.size() != static_cast<std::size_t>(rgb.width) * rgb.height * 3) std::abort();
  check_resize_rule({rgb.width, rgb.height});
  const models::ImageSize target{1 + byte_at(data, size, size / 2) % 48,
                                 1 + byte_at(data, size, size / 3) % 48};
  const models::RgbImage resized = models::resize_bicubic(rgb, target);
  if (resized.width != target.width || resized.height != target.height ||
      resized.pixels.size() != static_cast<std::size_t>(target.width) * target.height * 3) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size >= 8) {
    std::int32_t sides[2];
    std::memcpy(sides, data + size - 8, sizeof sides);
    check_resize_rule({sides[0], sides[1]});
  }
  // Small limits keep each run fast; the checks before allocation are the same.
  const seer::image_io::DecodeLimits limits{
      .max_bytes = 1u << 20, .max_pixels = 1 << 16, .max_side = 4096};
  try {
    preprocess(seer::image_io::decode_image(
                   std::span(reinterpret_cast<const std::byte*>(data), size), limits),
               data, size);
  } catch (const seer::image_io::ImageDecodeError&) {
    // Not an image we accept, or over the limits: refused with a message.
  }
  return 0;
}
