#include "camera_plugin.hpp"

#include "camera_events.hpp"
#include "frame_source.hpp"

#include <seer/image_io.hpp>

#include <stdexcept>

namespace seer::camera {

CameraService::CameraService(std::shared_ptr<FrameGrabber> grabber)
    : grabber_(std::move(grabber)) {}

Image CameraService::snapshot(Duration timeout) { return grabber_->snapshot(timeout); }

std::string CameraService::describe() const { return grabber_->describe(); }

CameraPlugin::CameraPlugin() = default;

CameraPlugin::~CameraPlugin() { stop(); }

ConfigSchema CameraPlugin::config_schema() const { return camera_config_schema(); }

std::vector<ServiceInfo> CameraPlugin::provided_services() const {
  return {{std::string(Camera::interface_id),
           "the newest frame of a device, video file, stream or slideshow"}};
}

void CameraPlugin::configure(const ConfigNode& config) { settings_ = read_camera_settings(config); }

void CameraPlugin::start(PluginContext& context) {
  if (grabber_) throw std::logic_error("camera plugin started twice");
  if (settings_.motion) motion_.emplace(*settings_.motion);
  next_publish_.reset();

  std::unique_ptr<FrameSource> source = make_frame_source(settings_.source);
  const std::string description = source->describe();
  GrabberListener listener{
      .on_frame = [this, &context](const Image& frame,
                                   std::uint64_t sequence) { on_frame(context, frame, sequence); },
      .on_health =
          [&context](HealthState state, const std::string& reason) {
            if (state == HealthState::degraded) context.log().warn("camera: {}", reason);
            context.health().set(state, reason);
          },
  };
  grabber_ = std::make_shared<FrameGrabber>(std::move(source), settings_.reconnect,
                                            std::move(listener), context.keepalive());
  context.provide<Camera>(context.instance_name(), std::make_shared<CameraService>(grabber_));
  // Before the thread starts, so its first `ready` is never overwritten.
  context.health().set(HealthState::starting, "opening " + description);
  context.log().info("camera: opening {} ({} source{}{})", description,
                     to_string(settings_.source.kind),
                     settings_.publish_fps > 0 ? ", publishing frames" : "",
                     settings_.motion ? ", detecting motion" : "");
  grabber_->start();
}

void CameraPlugin::stop() {
  if (!grabber_) return;
  grabber_->stop();
  grabber_.reset();
}

bool CameraPlugin::publish_due(std::chrono::system_clock::time_point captured_at) {
  if (settings_.publish_fps <= 0) return false;
  if (next_publish_ && captured_at < *next_publish_) return false;
  const auto interval = std::chrono::duration_cast<std::chrono::system_clock::duration>(
      interval_of(settings_.publish_fps));
  // From the previous deadline, so the rate holds; never more than one interval behind.
  next_publish_ =
      next_publish_ ? std::max(*next_publish_ + interval, captured_at) : captured_at + interval;
  return true;
}

void CameraPlugin::on_frame(PluginContext& context, const Image& frame, std::uint64_t sequence) {
  try {
    if (publish_due(frame.captured_at)) {
      context.bus().publish(frame_event(context.instance_name(), frame, sequence));
    }
    if (motion_) {
      if (auto motion = motion_->feed(image_io::mat_view(frame), frame.captured_at)) {
        context.publish(motion_topic(context.instance_name()), motion_payload(*motion));
      }
    }
    last_error_.clear();
  } catch (const std::exception& failure) {
    // Logged once per distinct error: the same failure would otherwise repeat at frame rate.
    if (last_error_ != failure.what()) {
      last_error_ = failure.what();
      context.log().error("camera: cannot handle frame {}: {}", sequence, last_error_);
    }
  }
}

}  // namespace seer::camera
