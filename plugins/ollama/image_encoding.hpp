#pragma once
// Images as Ollama takes them: PNG files in standard base64 without a `data:` prefix.

#include <seer/image.hpp>

#include <cstddef>
#include <span>
#include <string>

namespace seer::ollama {

// Lossless, so the model sees exactly the pixels it was given. Throws std::invalid_argument
// for an empty image and std::runtime_error when encoding fails.
std::string image_to_base64_png(const Image& image);
std::string to_base64(std::span<const std::byte> bytes);

}  // namespace seer::ollama
