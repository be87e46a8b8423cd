#pragma once
#include <seer/config.hpp>
#include <seer/image.hpp>

#include <string>

namespace seer {

// A source of frames: a webcam, a video file, a stream, a slideshow of images.
class Camera {
 public:
  static constexpr std::string_view interface_id = "seer.camera/1";
  virtual ~Camera() = default;
  // The newest frame, at most one frame interval old. Throws std::runtime_error when no
  // frame arrives within `timeout`.
  virtual Image snapshot(Duration timeout) = 0;
  // "1280x720@30 /dev/video0" and the like, for reports and logs.
  virtual std::string describe() const = 0;
};

}  // namespace seer
