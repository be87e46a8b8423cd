#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>

namespace seer::models::safetensors {

// A whole file mapped read-only into memory; the mapping lives as long as this object.
class MappedFile {
 public:
  // Throws std::runtime_error (with errno's text) when the file cannot be opened or mapped.
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::byte> bytes() const { return {data_, size_}; }

 private:
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace seer::models::safetensors
