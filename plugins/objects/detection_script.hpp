#pragma once
// What the stub Hailo device "sees": a scripted sequence of detections, frame by frame, from
// the plugin's configuration or a JSON file. Nothing here looks at an image.

#include <seer/config.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace seer::objects {

// Corners normalised to the network input (0..1), as Hailo's NMS output holds them.
struct ScriptedDetection {
  int class_id = 0;
  float score = 0;
  float x_min = 0;
  float y_min = 0;
  float x_max = 0;
  float y_max = 0;
};

// One script entry: these detections for `repeat` consecutive inferences.
struct ScriptedFrame {
  std::uint64_t repeat = 1;
  std::vector<ScriptedDetection> detections;
};

class DetectionScript {
 public:
  DetectionScript() = default;
  // Entry after entry, from inference 0; with `loop` the script starts over after its last
  // entry, else later inferences see nothing. `source` names where it came from.
  DetectionScript(std::vector<ScriptedFrame> frames, bool loop, std::string source);

  // What inference number `index` (from 0) returns.
  const std::vector<ScriptedDetection>& frame(std::uint64_t index) const;
  // Inferences one pass of the script covers.
  std::uint64_t length() const { return ends_.empty() ? 0 : ends_.back(); }
  // The largest class index any entry uses; -1 when there is none.
  int highest_class_id() const;
  bool loop() const { return loop_; }
  const std::string& source() const { return source_; }

 private:
  std::vector<ScriptedFrame> frames_;
  std::vector<std::uint64_t> ends_;  // running sum of the repeats
  bool loop_ = true;
  std::string source_ = "an empty script";
};

// Reads {loop: bool, frames: [{repeat: n, detections: [{label | class_id, score, box:
// [x_min, y_min, x_max, y_max]}]}]} (see the README). Labels are looked up in `labels`.
// Throws ConfigError located at the offending node.
DetectionScript read_detection_script(const ConfigNode& node,
                                      const std::vector<std::string>& labels, std::string source);
// The same from a JSON (or YAML) file; errors name the file, line and key.
DetectionScript load_detection_script(const std::filesystem::path& path,
                                      const std::vector<std::string>& labels);

}  // namespace seer::objects
