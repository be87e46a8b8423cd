#include "base64_image.hpp"

#include <seer/image_io.hpp>

#include <openssl/evp.h>

#include <chrono>
#include <string>

namespace seer::http {

std::vector<std::byte> decode_base64(std::string_view text) {
  if (text.starts_with("data:")) {
    const auto comma = text.find(";base64,");
    if (comma == std::string_view::npos) throw BadRequest("a data URI that is not base64");
    text.remove_prefix(comma + 8);
  }
  if (text.empty()) throw BadRequest("empty base64");
  // EVP_DecodeBlock takes whole 4-character groups and an int length.
  if (text.size() % 4 != 0 || text.size() > (1u << 30)) {
    throw BadRequest("not valid base64 (its length, " + std::to_string(text.size()) +
                     ", is not a multiple of 4)");
  }
  std::vector<std::byte> bytes(text.size() / 4 * 3);
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) throw BadRequest("not valid base64");
  // EVP_DecodeBlock counts the bytes that '=' padding stands for as zeros.
  std::size_t padding = 0;
  if (text.ends_with("==")) {
    padding = 2;
  } else if (text.ends_with('=')) {
    padding = 1;
  }
  bytes.resize(static_cast<std::size_t>(written) - padding);
  return bytes;
}

Image decode_base64_image(std::string_view text, std::string_view what) {
  std::vector<std::byte> bytes;
  try {
    bytes = decode_base64(text);
  } catch (const BadRequest& error) {
    throw BadRequest(std::string(what) + ": " + error.what());
  }
  try {
    return image_io::decode_image(bytes, {}, std::chrono::system_clock::now());
  } catch (const image_io::ImageDecodeError& error) {
    throw BadRequest(std::string(what) + ": " + error.what());
  }
}

}  // namespace seer::http
