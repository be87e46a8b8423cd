#include "frame_source.hpp"

#include "image_sequence_source.hpp"
#include "video_capture_source.hpp"

#include <cmath>

namespace seer::camera {

std::unique_ptr<FrameSource> make_frame_source(const SourceSettings& settings) {
  if (settings.kind == SourceKind::images) return std::make_unique<ImageSequenceSource>(settings);
  return std::make_unique<VideoCaptureSource>(settings);
}

std::chrono::nanoseconds interval_of(double fps) {
  if (!(fps > 0) || !std::isfinite(fps)) fps = 30;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(1e9 / fps)));
}

}  // namespace seer::camera
