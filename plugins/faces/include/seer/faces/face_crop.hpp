#pragma once
// Cutting a face out of a frame with some context around it, for the models that read faces
// (the expression net) and for reports.

#include <seer/image.hpp>
#include <seer/services/face_detector.hpp>

#include <optional>
#include <vector>

namespace seer::faces {

inline constexpr float kDefaultFacePadding = 0.4f;

// `box` grown by `padding` × its width on the left and on the right and by `padding` × its
// height above and below (0.4 turns a 100-pixel box into 180), then rounded outwards to whole
// pixels and clamped to the frame. Zero-sized when the box lies outside the frame. Throws
// std::invalid_argument for a negative padding.
Box padded_face_box(const Box& box, int frame_width, int frame_height,
                    float padding = kDefaultFacePadding);

// A copy (BGR8) of the padded region around the largest face; nullopt when there are no faces
// or the largest lies outside the image. Throws std::invalid_argument for an empty image.
std::optional<Image> crop_largest_face(const Image& image, const std::vector<DetectedFace>& faces,
                                       float padding = kDefaultFacePadding);

}  // namespace seer::faces
