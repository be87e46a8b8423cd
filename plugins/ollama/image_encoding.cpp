#include "image_encoding.hpp"

#include <seer/image_io.hpp>

#include <openssl/evp.h>
#include <opencv2/imgcodecs.hpp>

#include <stdexcept>
#include <vector>

namespace seer::ollama {

std::string to_base64(std::span<const std::byte> bytes) {
  // EVP_EncodeBlock takes an int length and writes 4 characters per 3 bytes plus a NUL.
  if (bytes.size() > (1u << 30)) throw std::invalid_argument("image too large to send");
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

std::string image_to_base64_png(const Image& image) {
  if (image.empty()) throw std::invalid_argument("an image in the request is empty");
  std::vector<unsigned char> png;
  if (!cv::imencode(".png", image_io::to_bgr_mat(image), png)) {
    throw std::runtime_error("cannot encode a " + std::to_string(image.width) + "x" +
                             std::to_string(image.height) + " image as PNG");
  }
  return to_base64(std::as_bytes(std::span(png)));
}

}  // namespace seer::ollama
