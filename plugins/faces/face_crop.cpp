#include "seer/faces/face_crop.hpp"

#include <seer/image_io.hpp>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace seer::faces {

Box padded_face_box(const Box& box, int frame_width, int frame_height, float padding) {
  if (!(padding >= 0)) {
    throw std::invalid_argument("face crop: padding must be >= 0, got " + std::to_string(padding));
  }
  const float width = static_cast<float>(std::max(frame_width, 0));
  const float height = static_cast<float>(std::max(frame_height, 0));
  const float x0 = std::clamp(std::floor(box.x - padding * box.width), 0.0f, width);
  const float y0 = std::clamp(std::floor(box.y - padding * box.height), 0.0f, height);
  const float x1 = std::clamp(std::ceil(box.x + (1 + padding) * box.width), x0, width);
  const float y1 = std::clamp(std::ceil(box.y + (1 + padding) * box.height), y0, height);
  return Box{x0, y0, x1 - x0, y1 - y0};
}

std::optional<Image> crop_largest_face(const Image& image, const std::vector<DetectedFace>& faces,
                                       float padding) {
  if (image.empty()) throw std::invalid_argument("face crop: the image is empty");
  if (faces.empty()) return std::nullopt;
  const auto largest = std::max_element(
      faces.begin(), faces.end(), [](const DetectedFace& a, const DetectedFace& b) {
        return a.box.width * a.box.height < b.box.width * b.box.height;
      });
  const Box region = padded_face_box(largest->box, image.width, image.height, padding);
  if (region.width < 1 || region.height < 1) return std::nullopt;

  const cv::Rect rect(static_cast<int>(region.x), static_cast<int>(region.y),
                      static_cast<int>(region.width), static_cast<int>(region.height));
  return image_io::image_from_mat(image_io::to_bgr_mat(image)(rect).clone(), image.captured_at);
}

}  // namespace seer::faces
