#pragma once
// The camera plugin: reads a device, video file, stream or slideshow on a grabber thread,
// provides the `seer::Camera` service (named after the instance), and optionally publishes
// frames (`camera/<instance>/frame`) and motion (`camera/<instance>/motion`).

#include "camera_settings.hpp"
#include "frame_grabber.hpp"
#include "motion_detector.hpp"

#include <seer/plugin.hpp>
#include <seer/services/camera.hpp>

#include <memory>
#include <optional>

namespace seer::camera {

// The service: snapshots from the grabber. Still safe to hold after the plugin stopped
// (snapshot() then throws).
class CameraService final : public Camera {
 public:
  explicit CameraService(std::shared_ptr<FrameGrabber> grabber);
  Image snapshot(Duration timeout) override;
  std::string describe() const override;

 private:
  std::shared_ptr<FrameGrabber> grabber_;
};

class CameraPlugin final : public Plugin {
 public:
  CameraPlugin();
  ~CameraPlugin() override;
  CameraPlugin(const CameraPlugin&) = delete;
  CameraPlugin& operator=(const CameraPlugin&) = delete;

  ConfigSchema config_schema() const override;
  std::vector<ServiceInfo> provided_services() const override;
  void configure(const ConfigNode& config) override;
  void start(PluginContext& context) override;
  void stop() override;

  const CameraSettings& settings() const { return settings_; }

 private:
  // On the grabber thread, for every frame.
  void on_frame(PluginContext& context, const Image& frame, std::uint64_t sequence);
  bool publish_due(std::chrono::system_clock::time_point captured_at);

  CameraSettings settings_;
  std::shared_ptr<FrameGrabber> grabber_;
  // Used on the grabber thread only.
  std::optional<MotionDetector> motion_;
  std::optional<std::chrono::system_clock::time_point> next_publish_;
  std::string last_error_;
};

}  // namespace seer::camera
