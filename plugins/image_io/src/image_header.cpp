// Image dimensions read straight from the container headers, so that an image too large to
// decode is refused before OpenCV allocates its pixels (OpenCV's own limit is 2^30 pixels).

#include <cstdint>
#include <limits>
#include <span>
#include <string>

#include "seer/image_io.hpp"

namespace seer::image_io {
namespace {

using Bytes = std::span<const std::byte>;

std::uint32_t byte_at(Bytes bytes, std::size_t offset) {
  return std::to_integer<std::uint32_t>(bytes[offset]);
}

std::uint32_t big_endian(Bytes bytes, std::size_t offset, int length) {
  std::uint32_t value = 0;
  for (int i = 0; i < length; ++i) value = (value << 8) | byte_at(bytes, offset + i);
  return value;
}

std::uint32_t little_endian(Bytes bytes, std::size_t offset, int length) {
  std::uint32_t value = 0;
  for (int i = length - 1; i >= 0; --i) value = (value << 8) | byte_at(bytes, offset + i);
  return value;
}

bool starts_with(Bytes bytes, std::size_t offset, std::string_view text) {
  if (bytes.size() < offset + text.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (byte_at(bytes, offset + i) != static_cast<unsigned char>(text[i])) return false;
  }
  return true;
}

[[noreturn]] void truncated(const std::string& format) {
  throw ImageDecodeError("the " + format + " header is truncated");
}

ImageHeader png_header(Bytes bytes) {
  if (bytes.size() < 26 || !starts_with(bytes, 12, "IHDR")) truncated("PNG");
  const std::uint32_t color_type = byte_at(bytes, 25);
  return {.format = "png",
          .width = static_cast<int>(big_endian(bytes, 16, 4) & 0x7fffffffu),
          .height = static_cast<int>(big_endian(bytes, 20, 4) & 0x7fffffffu),
          .has_alpha = color_type == 4 || color_type == 6};
}

bool is_start_of_frame(std::uint32_t marker) {
  // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

ImageHeader jpeg_header(Bytes bytes) {
  std::size_t offset = 2;
  while (offset + 4 <= bytes.size()) {
    if (byte_at(bytes, offset) != 0xFF) throw ImageDecodeError("the JPEG has a corrupt marker");
    const std::uint32_t marker = byte_at(bytes, offset + 1);
    if (marker == 0xFF) {  // fill byte
      ++offset;
      continue;
    }
    if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
      offset += 2;  // markers without a length
      continue;
    }
    const std::uint32_t length = big_endian(bytes, offset + 2, 2);
    if (length < 2) throw ImageDecodeError("the JPEG has a corrupt segment length");
    if (is_start_of_frame(marker)) {
      if (offset + 9 > bytes.size()) truncated("JPEG");
      return {.format = "jpeg",
              .width = static_cast<int>(big_endian(bytes, offset + 7, 2)),
              .height = static_cast<int>(big_endian(bytes, offset + 5, 2))};
    }
    offset += 2 + length;
  }
  truncated("JPEG");
}

ImageHeader webp_header(Bytes bytes) {
  if (bytes.size() < 30) truncated("WebP");
  if (starts_with(bytes, 12, "VP8X")) {
    return {.format = "webp",
            .width = static_cast<int>(little_endian(bytes, 24, 3) + 1),
            .height = static_cast<int>(little_endian(bytes, 27, 3) + 1),
            .has_alpha = (byte_at(bytes, 20) & 0x10) != 0};
  }
  if (starts_with(bytes, 12, "VP8L")) {
    const std::uint32_t bits = little_endian(bytes, 21, 4);
    return {.format = "webp",
            .width = static_cast<int>((bits & 0x3FFF) + 1),
            .height = static_cast<int>(((bits >> 14) & 0x3FFF) + 1),
            .has_alpha = ((bits >> 28) & 1) != 0};
  }
  if (starts_with(bytes, 12, "VP8 ")) {
    return {.format = "webp",
            .width = static_cast<int>(little_endian(bytes, 26, 2) & 0x3FFF),
            .height = static_cast<int>(little_endian(bytes, 28, 2) & 0x3FFF)};
  }
  throw ImageDecodeError("the WebP file has no VP8, VP8L or VP8X chunk first");
}

ImageHeader bmp_header(Bytes bytes) {
  if (bytes.size() < 26) truncated("BMP");
  if (little_endian(bytes, 14, 4) == 12) {  // the OS/2 core header has 16-bit sizes
    return {.format = "bmp",
            .width = static_cast<int>(little_endian(bytes, 18, 2)),
            .height = static_cast<int>(little_endian(bytes, 20, 2))};
  }
  const auto height = static_cast<std::int32_t>(little_endian(bytes, 22, 4));  // < 0: top-down
  // Found by fuzz/image_fuzzer: negating the lowest int32 overflows.
  if (height == std::numeric_limits<std::int32_t>::min()) {
    throw ImageDecodeError("the BMP header's height -2147483648 is not a size");
  }
  return {.format = "bmp",
          .width = static_cast<std::int32_t>(little_endian(bytes, 18, 4)),
          .height = height < 0 ? -height : height};
}

}  // namespace

ImageHeader read_image_header(std::span<const std::byte> bytes) {
  if (bytes.empty()) throw ImageDecodeError("the image is empty (0 bytes)");
  if (starts_with(bytes, 0, "\x89PNG\r\n\x1a\n")) return png_header(bytes);
  if (starts_with(bytes, 0, "\xFF\xD8\xFF")) return jpeg_header(bytes);
  if (starts_with(bytes, 0, "RIFF") && starts_with(bytes, 8, "WEBP")) return webp_header(bytes);
  if (starts_with(bytes, 0, "BM")) return bmp_header(bytes);
  throw ImageDecodeError("not a PNG, JPEG, WebP or BMP image");
}

}  // namespace seer::image_io
