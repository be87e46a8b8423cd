#include "face_ordering.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace seer::faces {

void sort_largest_first(std::vector<DetectedFace>& faces) {
  std::stable_sort(faces.begin(), faces.end(), [](const DetectedFace& a, const DetectedFace& b) {
    const float area_a = a.box.width * a.box.height;
    const float area_b = b.box.width * b.box.height;
    if (area_a != area_b) return area_a > area_b;
    return a.score > b.score;
  });
}

void require_pixels(const Image& image, const char* who) {
  if (image.empty()) {
    throw std::invalid_argument(std::string(who) + ": the image is empty (" +
                                std::to_string(image.width) + "x" + std::to_string(image.height) +
                                (image.data ? "" : ", no pixels") + ")");
  }
}

}  // namespace seer::faces
