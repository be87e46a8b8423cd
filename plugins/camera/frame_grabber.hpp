#pragma once
// The grabber: a thread of its own that reads a source continuously and keeps only the newest
// frame, so a snapshot is never a stale buffered one. A lost source is reopened with backoff.

#include "camera_settings.hpp"
#include "frame_source.hpp"

#include <seer/health.hpp>
#include <seer/image.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace seer::camera {

// Called on the grabber's thread, never after stop() has returned. Must not throw.
struct GrabberListener {
  std::function<void(const Image& frame, std::uint64_t sequence)> on_frame;
  std::function<void(HealthState state, const std::string& reason)> on_health;
};

class FrameGrabber {
 public:
  // `keepalive` is held by the thread (the plugin's library, whose code it runs).
  FrameGrabber(std::unique_ptr<FrameSource> source, ReconnectSettings reconnect,
               GrabberListener listener, std::shared_ptr<const void> keepalive = {});
  ~FrameGrabber();
  FrameGrabber(const FrameGrabber&) = delete;
  FrameGrabber& operator=(const FrameGrabber&) = delete;

  void start();
  // Returns within about a second even while an open or a backoff wait is in progress: a
  // thread still stuck in a (bounded) open is left to finish on its own. Idempotent.
  void stop();

  // The newest frame if it is at most one frame interval old, else the next one to arrive.
  // Throws std::runtime_error, with the source's state, when none comes within `timeout`.
  Image snapshot(Duration timeout) const;
  // The source as last opened: "1280x720@30 /dev/video0".
  std::string describe() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace seer::camera
