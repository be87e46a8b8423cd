#pragma once
// The emotion plugin's configuration: which model to load, how many torch threads to use and
// how face crops are resized.

#include <seer/config.hpp>
#include <seer/models/face_expression_input.hpp>

#include <filesystem>
#include <string_view>

namespace seer::emotion {

struct EmotionSettings {
  std::filesystem::path model;  // the tfjs weights manifest
  int threads = 1;              // torch intra-op threads
  models::FaceResize resize = models::FaceResize::bilinear;
};

// Where tools/dev/fetch-assets.sh caches the model: $SEER_ASSETS_DIR, else $SEER_CACHE/assets,
// else $XDG_CACHE_HOME/seer/assets, else ~/.cache/seer/assets, resolved when called.
std::filesystem::path default_model_path();

std::string_view to_string(models::FaceResize resize);

ConfigSchema emotion_config_schema();
// Reads an emotion section; throws ConfigError located at the offending node.
EmotionSettings read_emotion_settings(const ConfigNode& config);

}  // namespace seer::emotion
