// The safetensors header parser on arbitrary bytes taken as a whole file (8-byte length, JSON
// header, data). A header it accepts must describe tensors that lie inside the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "safetensors/header.hpp"

namespace safetensors = seer::models::safetensors;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> file(reinterpret_cast<const std::byte*>(data), size);
  try {
    const safetensors::Header header = safetensors::parse_header(file);
    for (const safetensors::HeaderEntry& entry : header.entries) {
      if (entry.offset > size || entry.nbytes > size - entry.offset) std::abort();
    }
  } catch (const safetensors::InvalidHeader&) {
    // Refused with a message: what bad input should get.
  }
  return 0;
}
