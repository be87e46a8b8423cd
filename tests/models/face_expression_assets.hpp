#pragma once
// Where the face expression tests find the real model and photos (tools/dev/fetch-assets.sh).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace seer::models::test {

inline std::filesystem::path assets_dir() {
  if (const char* dir = std::getenv("SEER_ASSETS_DIR"); dir && *dir) return dir;
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : "") / ".cache/seer/assets";
}

inline std::filesystem::path face_expression_manifest() {
  return assets_dir() / "face-api/face_expression_model-weights_manifest.json";
}

inline std::filesystem::path photo(const char* name) { return assets_dir() / "photos" / name; }

// Fails (never skips) the calling test when an asset is missing.
inline ::testing::AssertionResult asset_present(const std::filesystem::path& path) {
  if (std::filesystem::exists(path)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << path << " is missing: run tools/dev/fetch-assets.sh "
                                       << "(or point SEER_ASSETS_DIR at the assets directory)";
}

}  // namespace seer::models::test
