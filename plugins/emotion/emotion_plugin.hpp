#pragma once
// The emotion plugin: provides seer::EmotionReader ("seer.emotion_reader/1"), named after the
// plugin instance, backed by face-api's FaceExpressionNet on the CPU.

#include <seer/config.hpp>
#include <seer/plugin.hpp>

#include <memory>

#include "emotion_settings.hpp"

namespace seer::emotion {

class FaceExpressionReader;

class EmotionPlugin final : public Plugin {
 public:
  EmotionPlugin();
  ~EmotionPlugin() override;
  EmotionPlugin(const EmotionPlugin&) = delete;
  EmotionPlugin& operator=(const EmotionPlugin&) = delete;

  ConfigSchema config_schema() const override;
  std::vector<ServiceInfo> provided_services() const override;
  void configure(const ConfigNode& config) override;
  // Loads the model; a missing or broken model fails the plugin with the file's name.
  void start(PluginContext& context) override;
  void stop() override;

  const EmotionSettings& settings() const { return settings_; }

 private:
  EmotionSettings settings_;
  std::shared_ptr<FaceExpressionReader> reader_;
};

}  // namespace seer::emotion
