#include <seer/image.hpp>

namespace seer {

std::string_view to_string(PixelFormat format) {
  switch (format) {
    case PixelFormat::bgr8:
      return "bgr8";
    case PixelFormat::rgb8:
      return "rgb8";
    case PixelFormat::gray8:
      return "gray8";
  }
  return "unknown";
}

int channels(PixelFormat format) { return format == PixelFormat::gray8 ? 1 : 3; }

}  // namespace seer
