#pragma once
#include <seer/image.hpp>

#include <vector>

namespace seer {

struct Point {
  float x = 0;
  float y = 0;
};

struct DetectedFace {
  Box box;
  float score = 0;
  std::vector<Point> landmarks;  // detector-specific order; may be empty
};

class FaceDetector {
 public:
  static constexpr std::string_view interface_id = "seer.face_detector/1";
  virtual ~FaceDetector() = default;
  virtual std::vector<DetectedFace> detect(const Image& image) = 0;
};

}  // namespace seer
