#include "camera_settings.hpp"

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace seer::camera {
namespace {

constexpr std::array kSourceKinds = {SourceKind::device, SourceKind::file, SourceKind::url,
                                     SourceKind::images};

// Which source kinds each option of the source section applies to.
struct SourceOption {
  std::string_view key;
  std::vector<SourceKind> kinds;
};

const std::vector<SourceOption>& source_options() {
  static const std::vector<SourceOption> options = {
      {"width", {SourceKind::device}},
      {"height", {SourceKind::device}},
      {"fps", {SourceKind::device}},
      {"fourcc", {SourceKind::device}},
      {"loop", {SourceKind::file}},
      {"rate", {SourceKind::images}},
      {"open_timeout", {SourceKind::file, SourceKind::url}},
      {"read_timeout", {SourceKind::url}},
  };
  return options;
}

double positive_number(const ConfigNode& node, double fallback, double maximum) {
  const double value = node.double_or(fallback);
  if (!std::isfinite(value) || value <= 0 || value > maximum) {
    throw node.error("expected a number above 0 and at most " + std::to_string(maximum) + ", got " +
                     node.as_string());
  }
  return value;
}

int integer_in(const ConfigNode& node, int fallback, int minimum, int maximum) {
  const std::int64_t value = node.int_or(fallback);
  if (value < minimum || value > maximum) {
    throw node.error("expected an integer from " + std::to_string(minimum) + " to " +
                     std::to_string(maximum) + ", got " + std::to_string(value));
  }
  return static_cast<int>(value);
}

Duration positive_duration(const ConfigNode& node, Duration fallback) {
  const Duration value = node.duration_or(fallback);
  if (value.count() <= 0) throw node.error("expected a duration above 0, e.g. 500ms or 2s");
  return value;
}

Duration non_negative_duration(const ConfigNode& node, Duration fallback) {
  const Duration value = node.duration_or(fallback);
  if (value.count() < 0) throw node.error("expected a duration of 0 or more, e.g. 0s or 5s");
  return value;
}

SourceKind read_source_kind(const ConfigNode& source) {
  std::optional<SourceKind> kind;
  for (SourceKind candidate : kSourceKinds) {
    if (!source[to_string(candidate)].defined()) continue;
    if (kind) {
      throw source.error("source has both '" + std::string(to_string(*kind)) + "' and '" +
                         std::string(to_string(candidate)) + "': give exactly one");
    }
    kind = candidate;
  }
  if (!kind) throw source.error("source needs one of 'device', 'file', 'url' or 'images'");
  return *kind;
}

void check_options_apply(const ConfigNode& source, SourceKind kind) {
  for (const SourceOption& option : source_options()) {
    const ConfigNode node = source[option.key];
    if (!node.defined()) continue;
    bool applies = false;
    for (SourceKind allowed : option.kinds) applies = applies || allowed == kind;
    if (!applies) {
      throw node.error("'" + std::string(option.key) + "' does not apply to a " +
                       std::string(to_string(kind)) + " source");
    }
  }
}

std::string non_empty_string(const ConfigNode& node, std::string_view what) {
  std::string text = node.as_string();
  if (text.empty()) throw node.error(std::string(what) + " must not be empty");
  return text;
}

SourceSettings read_source(const ConfigNode& source) {
  if (!source.defined()) {
    throw source.error("missing 'source': e.g. source: {device: /dev/video0}");
  }
  if (!source.is_map()) {
    throw source.error("source must be a map with one of 'device', 'file', 'url' or 'images'");
  }
  SourceSettings settings;
  settings.kind = read_source_kind(source);
  check_options_apply(source, settings.kind);
  switch (settings.kind) {
    case SourceKind::device:
      settings.device = non_empty_string(source["device"], "device");
      settings.width = integer_in(source["width"], settings.width, 1, 16384);
      settings.height = integer_in(source["height"], settings.height, 1, 16384);
      settings.fps = positive_number(source["fps"], settings.fps, 1000);
      settings.fourcc = source["fourcc"].string_or("");
      if (!settings.fourcc.empty() && settings.fourcc.size() != 4) {
        throw source["fourcc"].error("fourcc must be four characters, e.g. MJPG or YUYV");
      }
      break;
    case SourceKind::file:
      settings.path = non_empty_string(source["file"], "file");
      settings.loop = source["loop"].bool_or(settings.loop);
      break;
    case SourceKind::url:
      settings.url = non_empty_string(source["url"], "url");
      break;
    case SourceKind::images:
      settings.path = non_empty_string(source["images"], "images");
      settings.rate = positive_number(source["rate"], settings.rate, 1000);
      break;
  }
  settings.open_timeout = positive_duration(source["open_timeout"], settings.open_timeout);
  settings.read_timeout = positive_duration(source["read_timeout"], settings.read_timeout);
  return settings;
}

ReconnectSettings read_reconnect(const ConfigNode& node) {
  ReconnectSettings settings;
  if (!node.defined() || node.is_null()) return settings;
  if (!node.is_map()) throw node.error("reconnect must be a map");
  settings.initial = positive_duration(node["initial"], settings.initial);
  settings.max = positive_duration(node["max"], settings.max);
  if (settings.max < settings.initial) {
    throw node["max"].error("max must not be below initial");
  }
  settings.jitter = node["jitter"].double_or(settings.jitter);
  if (!(settings.jitter >= 0 && settings.jitter < 1)) {
    throw node["jitter"].error("jitter must be from 0 up to (not including) 1");
  }
  return settings;
}

std::optional<MotionSettings> read_motion(const ConfigNode& node) {
  if (!node.defined() || node.is_null()) return std::nullopt;
  if (!node.is_map()) throw node.error("motion must be a map");
  if (!node["enabled"].bool_or(true)) return std::nullopt;
  MotionSettings settings;
  settings.threshold = integer_in(node["threshold"], settings.threshold, 1, 255);
  settings.min_area = positive_number(node["min_area"], settings.min_area, 1e9);
  settings.inertia = integer_in(node["inertia"], settings.inertia, 1, 1000);
  settings.cooldown = non_negative_duration(node["cooldown"], settings.cooldown);
  settings.off_delay = non_negative_duration(node["off_delay"], settings.off_delay);
  settings.frame_height = integer_in(node["frame_height"], settings.frame_height, 16, 2160);
  settings.frame_alpha = positive_number(node["frame_alpha"], settings.frame_alpha, 1);
  return settings;
}

}  // namespace

std::string_view to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::device:
      return "device";
    case SourceKind::file:
      return "file";
    case SourceKind::url:
      return "url";
    case SourceKind::images:
      return "images";
  }
  return "unknown";
}

ConfigSchema camera_config_schema() {
  ConfigSchema source;
  source.optional("device", ConfigType::string, "a V4L2 device: /dev/videoN or its index N");
  source.optional("file", ConfigType::string, "a video file");
  source.optional("url", ConfigType::string, "a stream: rtsp://... or an HTTP MJPEG URL");
  source.optional("images", ConfigType::string, "an image file or a directory of images");
  source.optional("width", ConfigType::integer, "device: requested frame width", "1280");
  source.optional("height", ConfigType::integer, "device: requested frame height", "720");
  source.optional("fps", ConfigType::number, "device: requested frame rate", "30");
  source.optional("fourcc", ConfigType::string, "device: pixel format, e.g. MJPG or YUYV");
  source.optional("loop", ConfigType::boolean, "file: start over at the end", "true");
  source.optional("rate", ConfigType::number, "images: slides per second", "1");
  source.optional("open_timeout", ConfigType::duration, "file, url: limit on opening", "5s");
  source.optional("read_timeout", ConfigType::duration, "url: limit on a stalled read", "5s");

  ConfigSchema reconnect;
  reconnect.optional("initial", ConfigType::duration, "first retry delay", "500ms");
  reconnect.optional("max", ConfigType::duration, "longest retry delay", "30s");
  reconnect.optional("jitter", ConfigType::number, "random spread of each delay, 0 to <1", "0.2");

  ConfigSchema motion;
  motion.optional("enabled", ConfigType::boolean, "detect motion", "true");
  motion.optional("threshold", ConfigType::integer, "pixel difference 1-255", "30");
  motion.optional("min_area", ConfigType::number,
                  "smallest changed area: pixels of the downscaled frame (>= 1) or a fraction "
                  "of it (< 1)",
                  "10");
  motion.optional("inertia", ConfigType::integer, "frames with motion needed to start", "3");
  motion.optional("cooldown", ConfigType::duration, "after a stop, before a new start", "2s");
  motion.optional("off_delay", ConfigType::duration, "without motion before a stop", "5s");
  motion.optional("frame_height", ConfigType::integer, "rows of the downscaled frame", "100");
  motion.optional("frame_alpha", ConfigType::number, "background update rate (0-1]", "0.2");

  ConfigSchema schema;
  schema.object("source", std::move(source), "where frames come from (one of the four kinds)");
  schema.object("reconnect", std::move(reconnect), "retry backoff when the source is lost");
  schema.optional("publish_fps", ConfigType::number,
                  "publish camera/<instance>/frame at most this often; 0 turns it off", "0");
  schema.object("motion", std::move(motion), "motion detection; absent: off");
  return schema;
}

CameraSettings read_camera_settings(const ConfigNode& config) {
  if (config.defined() && !config.is_null() && !config.is_map()) {
    throw config.error("the camera section must be a map");
  }
  CameraSettings settings;
  settings.source = read_source(config["source"]);
  settings.reconnect = read_reconnect(config["reconnect"]);
  const ConfigNode publish_fps = config["publish_fps"];
  settings.publish_fps = publish_fps.double_or(0);
  if (!std::isfinite(settings.publish_fps) || settings.publish_fps < 0) {
    throw publish_fps.error("publish_fps must be 0 (off) or a positive rate");
  }
  settings.motion = read_motion(config["motion"]);
  return settings;
}

}  // namespace seer::camera
