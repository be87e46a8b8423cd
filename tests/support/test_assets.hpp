#pragma once
// The real assets tools/dev/fetch-assets.sh caches (photos, face models, videos, tokenizer):
// $SEER_ASSETS_DIR, else ~/.cache/seer/assets. A missing asset fails the test that needs it.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace seer::test {

inline std::filesystem::path assets_dir() {
  if (const char* dir = std::getenv("SEER_ASSETS_DIR"); dir && *dir) return dir;
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : "") / ".cache/seer/assets";
}

// The path of `relative` under the assets folder; records a failure when it is missing.
inline std::filesystem::path asset(const std::string& relative) {
  const std::filesystem::path path = assets_dir() / relative;
  EXPECT_TRUE(std::filesystem::exists(path))
      << path << " is missing: run tools/dev/fetch-assets.sh (or set SEER_ASSETS_DIR)";
  return path;
}

}  // namespace seer::test
