#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace seer::models::safetensors {

// The first key that appears twice in one JSON object of `json`, at any depth; parsers that
// build a DOM keep only one of the two silently. Malformed JSON yields nullopt.
std::optional<std::string> first_duplicate_key(std::string_view json);

}  // namespace seer::models::safetensors
