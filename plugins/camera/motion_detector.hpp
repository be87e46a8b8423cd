#pragma once
// Motion by frame differencing, in Frigate's vocabulary: each frame is downscaled, turned
// grey and blurred, then compared with a slowly updated background; changed regions larger
// than `min_area` count as motion. `inertia` frames with motion start an episode, `off_delay`
// without motion end it, and `cooldown` after an end holds back the next start.
// Pure computation: feed frames with their timestamps, get events back; no threads.

#include "camera_settings.hpp"

#include <opencv2/core/mat.hpp>

#include <chrono>
#include <optional>
#include <vector>

namespace seer::camera {

struct MotionEvent {
  enum class Kind { start, stop };
  Kind kind = Kind::start;
  double area = 0;              // changed fraction of the frame (0-1); 0 for a stop
  std::vector<cv::Rect> boxes;  // changed regions in the fed frame's pixels; empty for a stop
  std::chrono::system_clock::time_point timestamp;
};

std::string_view to_string(MotionEvent::Kind kind);

class MotionDetector {
 public:
  explicit MotionDetector(MotionSettings settings);

  // Feeds one 8-bit BGR or grey frame captured at `at` (timestamps must not go backwards).
  // Returns an event when an episode of motion starts or stops.
  std::optional<MotionEvent> feed(const cv::Mat& frame, std::chrono::system_clock::time_point at);
  // True between a start and its stop.
  bool active() const { return active_; }

 private:
  struct Measurement {
    double area = 0;
    std::vector<cv::Rect> boxes;
  };
  Measurement measure(const cv::Mat& frame);

  MotionSettings settings_;
  cv::Mat background_;  // float running average of the blurred downscaled frames
  bool active_ = false;
  int frames_with_motion_ = 0;
  std::chrono::system_clock::time_point last_motion_;
  std::optional<std::chrono::system_clock::time_point> last_stop_;
};

}  // namespace seer::camera
