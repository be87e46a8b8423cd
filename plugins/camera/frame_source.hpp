#pragma once
// Where the grabber reads frames from: a device, a video file, a stream or a slideshow.
// Sources are used by one thread at a time (the grabber's) and may block in open() and read()
// for at most their configured timeouts.

#include "camera_settings.hpp"

#include <seer/image.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace seer::camera {

// The source cannot be opened or stopped delivering; the message says why, for health.
class SourceLost : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;

  // Opens (or reopens after a loss). Throws SourceLost.
  virtual void open() = 0;
  // The next frame (captured_at left for the grabber to stamp); nullopt when a source that
  // does not loop has reached its end. Throws SourceLost.
  virtual std::optional<Image> read() = 0;
  virtual void close() = 0;

  // How often frames are due: the grabber paces sources that would otherwise be read as fast
  // as they decode (files, slideshows) and judges snapshot freshness by it.
  virtual std::chrono::nanoseconds frame_interval() const = 0;
  // True for files and slideshows, which the grabber must pace itself.
  virtual bool needs_pacing() const = 0;
  // "1280x720@30 /dev/video0": the actual size and rate once open, the requested before.
  virtual std::string describe() const = 0;
};

// The source `settings` asks for. Does not open it.
std::unique_ptr<FrameSource> make_frame_source(const SourceSettings& settings);

// 1/fps as a duration, for rates read from files and drivers (30 fps when unknown).
std::chrono::nanoseconds interval_of(double fps);

}  // namespace seer::camera
