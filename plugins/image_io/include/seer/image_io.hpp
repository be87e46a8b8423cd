#pragma once
// OpenCV at the edge of seer::Image: wrapping cv::Mat without copies, and decoding encoded
// images (files, HTTP bodies) with their size checked from the header before any pixel is
// allocated. Shared by the plugins and tools that touch pixels; core knows nothing of OpenCV.

#include <seer/image.hpp>

#include <opencv2/core/mat.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>

namespace seer::image_io {

// Bytes that are not an image we accept, or one over the limits; the message says which.
class ImageDecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct DecodeLimits {
  std::size_t max_bytes = 64u << 20;     // encoded size
  std::int64_t max_pixels = 40'000'000;  // width × height, checked before decoding
  int max_side = 16384;
};

// What the header says, read without decoding: "png", "jpeg", "webp" or "bmp"
// (what OpenCV 4.6 decodes and we accept).
struct ImageHeader {
  std::string format;
  int width = 0;
  int height = 0;
  bool has_alpha = false;  // as far as the header says (PNG colour type, WebP flags)
};

// Throws ImageDecodeError for an unknown format or a truncated header.
ImageHeader read_image_header(std::span<const std::byte> bytes);

// Decodes to BGR8 (alpha composited onto white, grey expanded), refusing anything over
// `limits` before allocating its pixels.
Image decode_image(std::span<const std::byte> bytes, const DecodeLimits& limits = {},
                   std::chrono::system_clock::time_point captured_at = {});
// Reads and decodes a file; the error names the file.
Image load_image_file(const std::filesystem::path& path, const DecodeLimits& limits = {});

// A cv::Mat over the image's pixels: no copy; CV_8UC3 for bgr8/rgb8, CV_8UC1 for gray8.
// Treat it as read-only: the pixels may be shared with other holders.
cv::Mat mat_view(const Image& image);
// A BGR8 copy-free view when the image is BGR already, else a converted copy.
cv::Mat to_bgr_mat(const Image& image);
// An RGB8 copy (what neural networks trained on RGB read); grey is replicated.
cv::Mat to_rgb_mat(const Image& image);
// Takes shared ownership of `mat` (8-bit, 1 or 3 channels; 3 means BGR) without copying.
Image image_from_mat(cv::Mat mat, std::chrono::system_clock::time_point captured_at = {});

}  // namespace seer::image_io
