#pragma once
// What every detector does to its result and its input, whichever model found the faces.

#include <seer/image.hpp>
#include <seer/services/face_detector.hpp>

#include <vector>

namespace seer::faces {

// Largest box first; equal areas by higher score.
void sort_largest_first(std::vector<DetectedFace>& faces);

// Throws std::invalid_argument, the message starting with `who`, when the image has no pixels.
void require_pixels(const Image& image, const char* who);

}  // namespace seer::faces
