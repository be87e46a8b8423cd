#pragma once
// An image as plugins pass it around: shared pixels plus the facts needed to read them.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

namespace seer {

enum class PixelFormat { bgr8, rgb8, gray8 };

std::string_view to_string(PixelFormat format);
int channels(PixelFormat format);

struct Image {
  int width = 0;
  int height = 0;
  std::size_t stride = 0;  // bytes per row
  PixelFormat format = PixelFormat::bgr8;
  std::shared_ptr<const std::byte> data;  // shared, never copied when passed on
  std::chrono::system_clock::time_point captured_at;

  bool empty() const { return data == nullptr || width <= 0 || height <= 0; }
};

// A rectangle in pixel coordinates of the image it was found in.
struct Box {
  float x = 0;
  float y = 0;
  float width = 0;
  float height = 0;
};

}  // namespace seer
