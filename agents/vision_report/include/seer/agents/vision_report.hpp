#pragma once
// What one look at a scene found: faces, the main face's mood, objects, a description, how
// long each stage took and why any stage's answer is missing. Its JSON form is the schema in
// docs/vision-report.md.

#include <seer/image.hpp>

#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seer::agents {

struct FrameSize {
  int width = 0;
  int height = 0;
};

struct ReportedFace {
  Box box;
  float score = 0;
};

struct ReportedEmotion {
  std::string label;
  std::vector<std::pair<std::string, float>> probabilities;  // empty for BAGEL's answer
  std::string source;                                        // "cnn" or "bagel"
  std::string answer;  // BAGEL's words as it gave them; empty for the CNN
};

struct ReportedObject {
  std::string label;
  float score = 0;
  Box box;
  std::string backend;  // e.g. "hailo-stub", from the detector's provenance
};

struct VisionReport {
  std::optional<FrameSize> frame;                  // null when no frame could be captured
  std::optional<std::vector<ReportedFace>> faces;  // largest first; null when detection failed
  std::optional<Box> face_crop;                    // the padded box around the largest face
  std::optional<ReportedEmotion> emotion;          // null when there is no face
  std::optional<ReportedEmotion> emotion_bagel;    // the second opinion with emotion source both
  std::optional<std::vector<ReportedObject>> objects;      // null when not asked for or failed
  std::optional<std::string> objects_provenance;           // the detector's provenance sentence
  std::optional<std::string> description;                  // the VLM's description of the frame
  std::vector<std::pair<std::string, double>> timings_ms;  // stage → ms, "total" last
  std::vector<std::pair<std::string, std::string>> unavailable;  // field → why it is null
  std::chrono::system_clock::time_point captured_at;
  std::optional<std::string> camera;  // the camera's describe() when it came from one
  std::optional<std::string> image;   // the file it came from, when a caller says so

  // The reason recorded for `field`, or nullptr.
  const std::string* unavailable_reason(std::string_view field) const;
  // The time recorded for `stage`, or nullopt.
  std::optional<double> timing(std::string_view stage) const;
};

// The JSON form (keys in the documented order; absent answers are null).
boost::json::value to_json(const VisionReport& report);
// A few lines for people: what was found, what is missing and why, the timings.
std::string to_text(const VisionReport& report);
// "2026-11-24T07:22:14.123Z".
std::string iso8601_utc(std::chrono::system_clock::time_point time);
// The backend a provenance sentence names ("backend hailo-stub: ..." → "hailo-stub"), else
// "unknown".
std::string backend_of(std::string_view provenance);

}  // namespace seer::agents
