#pragma once
// The camera plugin's configuration: where frames come from, how a lost source is retried,
// whether frames are published, and how motion is detected.

#include <seer/config.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace seer::camera {

enum class SourceKind { device, file, url, images };

std::string_view to_string(SourceKind kind);

struct SourceSettings {
  SourceKind kind = SourceKind::device;
  std::string device = "0";    // device: "/dev/video0" or an index
  std::filesystem::path path;  // file and images
  std::string url;             // url: rtsp://, http://
  int width = 1280;            // device: requested size and rate
  int height = 720;
  double fps = 30;
  std::string fourcc;  // device: e.g. "MJPG"; empty leaves the driver's choice
  bool loop = true;    // file: start over at the end
  double rate = 1;     // images: slides per second
  Duration open_timeout = std::chrono::seconds(5);  // file and url: bounds a blocking open
  Duration read_timeout = std::chrono::seconds(5);  // url: bounds a stalled stream
};

struct ReconnectSettings {
  Duration initial = std::chrono::milliseconds(500);
  Duration max = std::chrono::seconds(30);
  double jitter = 0.2;  // each delay is scaled by a random factor in [1 - jitter, 1 + jitter]
};

struct MotionSettings {
  int threshold = 30;    // grey-level difference (1-255) for a pixel to count as changed
  double min_area = 10;  // >= 1: pixels of the downscaled frame; < 1: fraction of it
  int inertia = 3;       // consecutive frames with motion before a start
  Duration cooldown = std::chrono::seconds(2);   // after a stop, before the next start
  Duration off_delay = std::chrono::seconds(5);  // without motion before a stop
  int frame_height = 100;    // rows of the downscaled frame motion is detected on
  double frame_alpha = 0.2;  // how fast the background follows the scene (0-1]
};

struct CameraSettings {
  SourceSettings source;
  ReconnectSettings reconnect;
  double publish_fps = 0;  // 0: frames are not published
  std::optional<MotionSettings> motion;
};

ConfigSchema camera_config_schema();
// Reads a camera section; throws ConfigError located at the offending node.
CameraSettings read_camera_settings(const ConfigNode& config);

}  // namespace seer::camera
