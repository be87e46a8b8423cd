#pragma once
// The latest frame of every camera, from its `camera/<name>/frame` events, kept as JPEG bytes
// of our own: the event's pixels belong to the camera plugin (their deleter lives in its
// library), so none is held past the event handler. Also counts frames for /metrics.

#include <seer/event.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace seer::http {

struct CameraFrame {
  std::string jpeg;
  int width = 0;
  int height = 0;
  std::uint64_t sequence = 0;
  std::chrono::system_clock::time_point captured_at;
};

struct CameraStats {
  std::string camera;
  std::uint64_t frames = 0;  // frame events handled (only the newest waits: some are skipped)
  double fps = 0;            // the camera's rate over the last second or so; 0 once it stops
  int width = 0;
  int height = 0;
  std::chrono::system_clock::time_point last_frame_at;
};

class CameraFrames {
 public:
  // At most one frame per camera is encoded per `encode_interval`: the console polls about
  // once a second, and encoding every frame of a 30 fps camera would be wasted work.
  explicit CameraFrames(std::chrono::milliseconds encode_interval = std::chrono::milliseconds(200))
      : encode_interval_(encode_interval) {}

  // A `camera/<name>/frame` event: {width, height, format, sequence} with the pixels attached
  // as "frame" (meta: width, height, stride, format). Events of another shape are ignored.
  void record(const Event& event);

  // The latest frame of `camera`, or of the camera that sent one last when `camera` is empty.
  std::optional<CameraFrame> latest(const std::string& camera = {}) const;
  std::vector<CameraStats> stats() const;

 private:
  struct Camera {
    CameraFrame frame;
    std::chrono::steady_clock::time_point encoded_at;
    CameraStats stats;
    std::chrono::steady_clock::time_point window_start;
    std::chrono::steady_clock::time_point last_seen;
    std::uint64_t window_frames = 0;    // events handled in the window
    std::uint64_t window_sequence = 0;  // the camera's sequence number when it began
  };
  std::chrono::milliseconds encode_interval_;
  mutable std::mutex mutex_;
  std::map<std::string, Camera> cameras_;
  std::string newest_;  // the camera whose frame came last
};

}  // namespace seer::http
