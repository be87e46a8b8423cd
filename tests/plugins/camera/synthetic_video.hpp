#pragma once
// Real video for the camera tests: clips written by OpenCV's VideoWriter (MJPG in .avi) over a
// textured background, either still or with a bright block moving across.

#include <opencv2/core/mat.hpp>

#include <filesystem>
#include <vector>

namespace seer::camera::test {

struct ClipSpec {
  cv::Size size{320, 240};
  double fps = 30;
  int frames = 30;
  bool moving_block = false;
};

// The block's square in frame `index` (empty for a still clip).
cv::Rect block_at(const ClipSpec& spec, int index);
// Frame `index` of the clip, BGR.
cv::Mat clip_frame(const ClipSpec& spec, int index);
// Writes the clip; throws std::runtime_error when OpenCV cannot write MJPG .avi here.
void write_clip(const std::filesystem::path& path, const ClipSpec& spec);
// The clip's frames as JPEG files' bytes, for an MJPEG stream.
std::vector<std::vector<unsigned char>> clip_jpegs(const ClipSpec& spec);

}  // namespace seer::camera::test
