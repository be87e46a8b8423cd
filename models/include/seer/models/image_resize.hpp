#pragma once

// The tensor-free half of BAGEL's image preprocessing (spec bagel.md §5): RGB conversion and
// the MaxLongEdgeMinShortEdge resize with PIL's antialiased bicubic filter, on raw 8-bit
// pixels. Kept free of libtorch so that the fuzzers build without it.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <vector>

namespace seer::models {

// Every refusal of an image or of preprocessing settings; the message says what is wrong.
class ImagePreprocessingError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Interleaved 8-bit pixels as a decoder hands them out (not owned): 1 channel grey,
// 3 RGB or 4 RGBA (straight alpha), rows `row_stride` bytes apart (0: tightly packed).
struct ImageView {
  const std::uint8_t* data = nullptr;
  int width = 0;
  int height = 0;
  int channels = 0;
  std::size_t row_stride = 0;
};

// An owned, tightly packed RGB image (3 bytes per pixel, rows top to bottom).
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;
};

struct ImageSize {
  int width = 0;
  int height = 0;
  friend bool operator==(const ImageSize&, const ImageSize&) = default;
};

// The limits of one MaxLongEdgeMinShortEdgeResize.
struct ResizeLimits {
  int max_size = 0;
  int min_size = 0;
  int stride = 0;
  std::int64_t max_pixels = 0;
};

// Which resizes run: the official `chat()` path has one; the demo `InterleaveInferencer`
// first applies its VAE resize to the picture, then its ViT resize.
struct ImagePreprocessing {
  std::optional<ResizeLimits> pre_resize;
  ResizeLimits vit_resize;

  // Bagel.chat() and the eval scripts: (980, 378, 14, 2007040), no pre-resize. The default.
  static ImagePreprocessing chat();
  // app.py / inference.ipynb: VAE (1024, 512, 16, 1806336), then ViT (980, 224, 14, 1806336).
  static ImagePreprocessing inferencer();
};

// Python's round() on a double: halves go to the even neighbour.
double round_half_even(double value);

// The size MaxLongEdgeMinShortEdgeResize produces for `input` (spec §5.2), `image_count`
// being the images sharing max_pixels (1 at inference).
ImageSize resized_size(ImageSize input, const ResizeLimits& limits, int image_count = 1);

// PIL's pil_img2rgb: RGBA is composited onto white, grey is replicated to three channels.
RgbImage to_rgb(const ImageView& image);

// PIL's Image.resize(size, BICUBIC): separable, antialiased (support widened when
// downsampling), horizontal pass then vertical, each rounded to 8 bits.
RgbImage resize_bicubic(const RgbImage& image, ImageSize size);

}  // namespace seer::models
