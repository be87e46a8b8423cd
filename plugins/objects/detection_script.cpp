#include "detection_script.hpp"

#include <algorithm>

namespace seer::objects {
namespace {

constexpr std::int64_t kMaxRepeat = 1'000'000'000;

float read_unit(const ConfigNode& node, const char* what) {
  const double value = node.as_double();
  if (!(value >= 0 && value <= 1)) {
    throw node.error(std::string(what) + " must lie in [0, 1], got " + node.as_string());
  }
  return static_cast<float>(value);
}

int read_class(const ConfigNode& detection, const std::vector<std::string>& labels) {
  const ConfigNode label = detection["label"];
  const ConfigNode class_id = detection["class_id"];
  if (label.defined() == class_id.defined()) {
    throw detection.error("a scripted detection needs either 'label' or 'class_id'");
  }
  if (label.defined()) {
    const std::string name = label.as_string();
    const auto found = std::find(labels.begin(), labels.end(), name);
    if (found == labels.end()) {
      const std::string guess = closest_match(name, labels);
      throw label.error("unknown label '" + name + "'" +
                        (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
    }
    return static_cast<int>(found - labels.begin());
  }
  const std::int64_t id = class_id.as_int();
  if (id < 0 || id >= static_cast<std::int64_t>(labels.size())) {
    throw class_id.error("class_id must be from 0 to " + std::to_string(labels.size() - 1));
  }
  return static_cast<int>(id);
}

ScriptedDetection read_detection(const ConfigNode& node, const std::vector<std::string>& labels) {
  if (!node.is_map()) throw node.error("expected a detection: {label, score, box}");
  ScriptedDetection detection;
  detection.class_id = read_class(node, labels);
  const ConfigNode score = node["score"];
  if (!score.defined()) throw node.error("a scripted detection needs a 'score'");
  detection.score = read_unit(score, "score");

  const ConfigNode box = node["box"];
  if (!box.defined() || !box.is_sequence() || box.size() != 4) {
    throw(box.defined() ? box : node)
        .error("'box' must be [x_min, y_min, x_max, y_max], normalised to the network input");
  }
  detection.x_min = read_unit(box[0], "x_min");
  detection.y_min = read_unit(box[1], "y_min");
  detection.x_max = read_unit(box[2], "x_max");
  detection.y_max = read_unit(box[3], "y_max");
  if (detection.x_max <= detection.x_min || detection.y_max <= detection.y_min) {
    throw box.error("the box's max corner must lie right of and below its min corner");
  }
  return detection;
}

ScriptedFrame read_frame(const ConfigNode& node, const std::vector<std::string>& labels) {
  if (!node.is_map()) throw node.error("expected a frame: {detections: [...], repeat: n}");
  ScriptedFrame frame;
  if (const ConfigNode repeat = node["repeat"]; repeat.defined()) {
    const std::int64_t value = repeat.as_int();
    if (value < 1 || value > kMaxRepeat) {
      throw repeat.error("repeat must be from 1 to " + std::to_string(kMaxRepeat));
    }
    frame.repeat = static_cast<std::uint64_t>(value);
  }
  const ConfigNode detections = node["detections"];
  if (detections.defined() && !detections.is_null()) {
    if (!detections.is_sequence()) throw detections.error("expected a list of detections");
    for (const ConfigNode& item : detections.items()) {
      frame.detections.push_back(read_detection(item, labels));
    }
  }
  return frame;
}

}  // namespace

DetectionScript::DetectionScript(std::vector<ScriptedFrame> frames, bool loop, std::string source)
    : frames_(std::move(frames)), loop_(loop), source_(std::move(source)) {
  std::uint64_t end = 0;
  for (const ScriptedFrame& frame : frames_) ends_.push_back(end += frame.repeat);
}

const std::vector<ScriptedDetection>& DetectionScript::frame(std::uint64_t index) const {
  static const std::vector<ScriptedDetection> kNothing;
  if (ends_.empty() || (index >= length() && !loop_)) return kNothing;
  const std::uint64_t position = index % length();
  const auto entry = std::upper_bound(ends_.begin(), ends_.end(), position);
  return frames_[static_cast<std::size_t>(entry - ends_.begin())].detections;
}

int DetectionScript::highest_class_id() const {
  int highest = -1;
  for (const ScriptedFrame& frame : frames_) {
    for (const ScriptedDetection& detection : frame.detections) {
      highest = std::max(highest, detection.class_id);
    }
  }
  return highest;
}

DetectionScript read_detection_script(const ConfigNode& node,
                                      const std::vector<std::string>& labels, std::string source) {
  if (!node.is_map()) throw node.error("expected a detection script: {loop, frames: [...]}");
  const bool loop = node["loop"].bool_or(true);
  std::vector<ScriptedFrame> frames;
  const ConfigNode list = node["frames"];
  if (list.defined() && !list.is_null()) {
    if (!list.is_sequence()) throw list.error("expected a list of frames");
    for (const ConfigNode& item : list.items()) frames.push_back(read_frame(item, labels));
  }
  return DetectionScript(std::move(frames), loop, std::move(source));
}

DetectionScript load_detection_script(const std::filesystem::path& path,
                                      const std::vector<std::string>& labels) {
  // JSON is YAML, so the configuration reader parses it and locates errors in it.
  return read_detection_script(ConfigNode::load_file(path), labels, path.string());
}

}  // namespace seer::objects
