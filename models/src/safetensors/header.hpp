#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "safetensors/stored_dtype.hpp"

namespace seer::models::safetensors {

// A header that breaks a rule; the message names the tensor but not the file.
class InvalidHeader : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct HeaderEntry {
  std::string key;
  StoredDtype dtype;
  std::vector<std::int64_t> shape;
  std::uint64_t offset;  // absolute, from the start of the file
  std::uint64_t nbytes;
};

struct Header {
  std::vector<HeaderEntry> entries;  // sorted by key
  std::map<std::string, std::string> metadata;
};

// Largest header accepted; the 7B checkpoint's is about 150 kB.
inline constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;

// Reads and validates the whole header of a safetensors file held in `file`: length field,
// JSON, every entry, and the byte ranges against the data section. Throws InvalidHeader.
Header parse_header(std::span<const std::byte> file);

}  // namespace seer::models::safetensors
