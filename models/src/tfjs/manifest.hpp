#pragma once
// The JSON side of a tfjs weights manifest: groups of binary paths and the weights packed in
// them, every field checked for presence and type.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seer::models::tfjs {

// How one value is stored in the binary file.
enum class StoredValue { float32, uint8, uint16, float16 };

std::size_t bytes_per_value(StoredValue stored);

struct ManifestWeight {
  std::string name;
  std::vector<std::int64_t> shape;
  StoredValue stored = StoredValue::float32;
  double scale = 1.0;  // uint8/uint16: value = q * scale + min
  double min = 0.0;

  std::int64_t element_count() const;
  std::uint64_t byte_count() const {
    return static_cast<std::uint64_t>(element_count()) * bytes_per_value(stored);
  }
};

struct ManifestGroup {
  std::vector<std::string> paths;       // concatenated in this order
  std::vector<ManifestWeight> weights;  // packed back to back in this order
};

// Parses the manifest text; throws TfjsWeightsError prefixed with `source` (the file name).
std::vector<ManifestGroup> parse_manifest(std::string_view text, const std::string& source);

}  // namespace seer::models::tfjs
