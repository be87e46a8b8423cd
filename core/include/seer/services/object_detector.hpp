#pragma once
#include <seer/image.hpp>

#include <string>
#include <vector>

namespace seer {

struct DetectedObject {
  std::string label;
  int class_id = -1;
  float score = 0;
  Box box;
};

class ObjectDetector {
 public:
  static constexpr std::string_view interface_id = "seer.object_detector/1";
  virtual ~ObjectDetector() = default;
  virtual std::vector<DetectedObject> detect(const Image& image) = 0;
  // A sentence every report fed by this detector carries (e.g. that the device is simulated).
  virtual std::string provenance() const = 0;
};

}  // namespace seer
