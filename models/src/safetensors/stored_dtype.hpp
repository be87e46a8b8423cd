#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace seer::models::safetensors {

// The element types a safetensors header may name; kept free of libtorch so that the
// header parser compiles without it.
enum class StoredDtype : std::uint8_t { kF64, kF32, kF16, kBF16, kI64, kI32, kI8, kU8, kBool };

inline std::optional<StoredDtype> parse_stored_dtype(std::string_view name) {
  if (name == "F64") return StoredDtype::kF64;
  if (name == "F32") return StoredDtype::kF32;
  if (name == "F16") return StoredDtype::kF16;
  if (name == "BF16") return StoredDtype::kBF16;
  if (name == "I64") return StoredDtype::kI64;
  if (name == "I32") return StoredDtype::kI32;
  if (name == "I8") return StoredDtype::kI8;
  if (name == "U8") return StoredDtype::kU8;
  if (name == "BOOL") return StoredDtype::kBool;
  return std::nullopt;
}

inline std::size_t element_size(StoredDtype dtype) {
  switch (dtype) {
    case StoredDtype::kF64:
    case StoredDtype::kI64:
      return 8;
    case StoredDtype::kF32:
    case StoredDtype::kI32:
      return 4;
    case StoredDtype::kF16:
    case StoredDtype::kBF16:
      return 2;
    case StoredDtype::kI8:
    case StoredDtype::kU8:
    case StoredDtype::kBool:
      return 1;
  }
  return 0;
}

}  // namespace seer::models::safetensors
