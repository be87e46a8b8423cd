#pragma once
// The real photos and models the face tests run on (through tests/support/test_assets.hpp: a
// missing asset fails the test with a message saying how to fetch it, never skips it).

#include <seer/image.hpp>
#include <seer/image_io.hpp>
#include <seer/services/face_detector.hpp>

#include "test_assets.hpp"

#include <algorithm>
#include <filesystem>
#include <string>

namespace seer::faces::test {

using seer::test::asset;
using seer::test::assets_dir;

inline Image load_photo(const std::string& relative) {
  return image_io::load_image_file(asset(relative));
}

inline std::filesystem::path blazeface_model() {
  return asset("blazeface/face_detection_front_128x128_barracuda.onnx");
}

inline const std::filesystem::path kHaarCascade =
    "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";

inline float intersection_over_union(const Box& a, const Box& b) {
  const float x0 = std::max(a.x, b.x);
  const float y0 = std::max(a.y, b.y);
  const float x1 = std::min(a.x + a.width, b.x + b.width);
  const float y1 = std::min(a.y + a.height, b.y + b.height);
  const float overlap = std::max(0.0f, x1 - x0) * std::max(0.0f, y1 - y0);
  const float total = a.width * a.height + b.width * b.height - overlap;
  return total > 0 ? overlap / total : 0.0f;
}

}  // namespace seer::faces::test
