#pragma once
// How the vision-report pipeline runs, and the `report:` configuration section that sets it.

#include <seer/config.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace seer::agents {

enum class EmotionSource { cnn, bagel, both };

std::string_view to_string(EmotionSource source);
// Throws std::invalid_argument for anything but "cnn", "bagel" or "both".
EmotionSource emotion_source_from_string(std::string_view text);

inline constexpr const char* kDefaultDescribePrompt =
    "Describe the person in this image in detail: their appearance, clothing, expression and "
    "what they are doing.";
inline constexpr const char* kDefaultEmotionPrompt =
    "What emotion is this person showing? Answer with one word.";

// Which registered service each stage uses; empty means "the only one registered".
struct VisionReportServiceNames {
  std::string face_detector;
  std::string emotion_reader;
  std::string object_detector;
  std::string vision_language_model;
  std::string camera;
};

struct VisionReportOptions {
  float face_padding = 0.4f;  // around the largest face, for face_crop and BAGEL's emotion
  std::string describe_prompt = kDefaultDescribePrompt;
  std::string emotion_prompt = kDefaultEmotionPrompt;
  EmotionSource emotion_source = EmotionSource::cnn;
  bool objects = false;  // run the object detector on the frame
  Duration stage_timeout = std::chrono::seconds(30);
  Duration capture_timeout = std::chrono::seconds(5);  // the camera's snapshot limit
  int description_max_tokens = 256;
  int emotion_max_tokens = 8;
  VisionReportServiceNames services;
};

ConfigSchema vision_report_options_schema();
// Reads a `report:` section (an undefined node gives the defaults). Throws ConfigError
// located at the offending key.
VisionReportOptions read_vision_report_options(const ConfigNode& section);

}  // namespace seer::agents
