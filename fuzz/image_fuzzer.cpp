// Image decoding and BAGEL's tensor-free preprocessing on arbitrary bytes: the image_io
// decoder (size checked from the header first), then RGB conversion and the chat and
// inferencer resizes as preprocess_image runs them. The resize rule is also run on the size
// written in the input's last 8 bytes, so that it sees sizes no decoder would hand out.
// Every accepted size must fit the ViT's patch grid (what patchify and the position ids need).
#include <algorithm>
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

// The final (ViT) resize must give a whole patch grid that fits the position table.
void check_vit_size(models::ImageSize size, const models::ResizeLimits& limits) {
  if (size.width < limits.stride || size.height < limits.stride) std::abort();
  if (size.width % limits.stride != 0 || size.height % limits.stride != 0) std::abort();
  if (size.width / kPatchSize > kPatchesPerSide || size.height / kPatchSize > kPatchesPerSide) {
    std::abort();
  }
}

models::ImageSize resized_like_preprocess(models::ImageSize size,
                                          const models::ImagePreprocessing& settings) {
  if (settings.pre_resize) size = models::resized_size(size, *settings.pre_resize);
  const models::ImageSize vit = models::resized_size(size, settings.vit_resize);
  check_vit_size(vit, settings.vit_resize);
  return vit;
}

void resize_rule_on_written_size(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return;
  std::int32_t sides[2];
  std::memcpy(sides, data + size - 8, sizeof sides);
  for (const auto& settings :
       {models::ImagePreprocessing::chat(), models::ImagePreprocessing::inferencer()}) {
    try {
      resized_like_preprocess({.width = sides[0], .height = sides[1]}, settings);
    } catch (const models::ImagePreprocessingError&) {
      // A size the rule refuses, with a message.
    }
  }
}

void preprocess(const seer::Image& image) {
  const models::ImageView view{.data = reinterpret_cast<const std::uint8_t*>(image.data.get()),
                               .width = image.width,
                               .height = image.height,
                               .channels = seer::channels(image.format),
                               .row_stride = image.stride};
  const models::RgbImage rgb = models::to_rgb(view);
  if (rgb.pixels.size() != static_cast<std::size_t>(rgb.width) * rgb.height * 3) std::abort();
  for (const auto& settings :
       {models::ImagePreprocessing::chat(), models::ImagePreprocessing::inferencer()}) {
    models::RgbImage resized = rgb;
    if (settings.pre_resize) {
      resized = models::resize_bicubic(
          resized, models::resized_size({rgb.width, rgb.height}, *settings.pre_resize));
    }
    const models::ImageSize vit =
        models::resized_size({resized.width, resized.height}, settings.vit_resize);
    check_vit_size(vit, settings.vit_resize);
    resized = models::resize_bicubic(resized, vit);
    if (resized.width != vit.width || resized.height != vit.height) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  resize_rule_on_written_size(data, size);
  // Small limits keep each run fast; the checks before allocation are the same.
  const seer::image_io::DecodeLimits limits{.max_bytes = 1u << 20, .max_pixels = 1 << 18,
                                            .max_side = 4096};
  try {
    preprocess(seer::image_io::decode_image(
        std::span(reinterpret_cast<const std::byte*>(data), size), limits));
  } catch (const seer::image_io::ImageDecodeError&) {
    // Not an image we accept, or over the limits: refused with a message.
  }
  return 0;
}
