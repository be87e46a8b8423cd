#pragma once
// Building the dotted key paths that errors name: "plugins.clock.schedules[0].cron".

#include <cstddef>
#include <string>
#include <string_view>

namespace seer::config {

inline std::string join_key(const std::string& parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  return parent + "." + std::string(key);
}

inline std::string join_index(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

// `prefix` is where a document sits in the whole configuration, `suffix` a path inside it.
inline std::string join_paths(const std::string& prefix, const std::string& suffix) {
  if (prefix.empty() || suffix.empty()) return prefix + suffix;
  if (suffix.front() == '[') return prefix + suffix;
  return prefix + "." + suffix;
}

}  // namespace seer::config
