#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace seer::models::safetensors {

// Up to `count` of `keys` closest to `wanted` by edit distance, nearest first; for error
// messages about a missing key.
std::vector<std::string> nearest_keys(std::string_view wanted, const std::vector<std::string>& keys,
                                      std::size_t count);

}  // namespace seer::models::safetensors
