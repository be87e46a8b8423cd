#include "emotion_plugin.hpp"

#include <seer/services/emotion_reader.hpp>

#include <stdexcept>
#include <string>

#include "face_expression_reader.hpp"

namespace seer::emotion {

EmotionPlugin::EmotionPlugin() = default;
EmotionPlugin::~EmotionPlugin() = default;

ConfigSchema EmotionPlugin::config_schema() const { return emotion_config_schema(); }

std::vector<ServiceInfo> EmotionPlugin::provided_services() const {
  return {{std::string(EmotionReader::interface_id),
           "reads a face crop's expression (face-api FaceExpressionNet, 7 classes)"}};
}

void EmotionPlugin::configure(const ConfigNode& config) {
  settings_ = read_emotion_settings(config);
}

void EmotionPlugin::start(PluginContext& context) {
  if (reader_) throw std::logic_error("emotion plugin started twice");
  try {
    reader_ = std::make_shared<FaceExpressionReader>(settings_);
  } catch (const std::exception& error) {
    const std::string reason = std::string("cannot load the face expression model: ") +
                               error.what() + " (tools/dev/fetch-assets.sh fetches it)";
    context.health().failed(reason);
    throw std::runtime_error(reason);
  }
  context.provide<EmotionReader>(context.instance_name(), reader_);
  const std::string reason = std::string("face-api FaceExpressionNet, ") +
                             std::to_string(settings_.threads) + " thread(s), " +
                             std::string(to_string(settings_.resize)) + " resize";
  context.log().info("emotion: {} from {}", reason, settings_.model.string());
  context.health().ready(reason);
}

void EmotionPlugin::stop() { reader_.reset(); }

}  // namespace seer::emotion
