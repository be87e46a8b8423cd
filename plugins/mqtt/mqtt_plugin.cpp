#include "mqtt_plugin.hpp"

#include <stdexcept>

namespace seer::mqtt {

MqttPlugin::~MqttPlugin() {
  try {
    stop();
  } catch (...) {
    // Destructors must not throw; stop() only fails on a broken mutex.
  }
}

void MqttPlugin::configure(const ConfigNode& config) { settings_ = read_mqtt_settings(config); }

void MqttPlugin::start(PluginContext& context) {
  if (session_) throw std::logic_error("mqtt plugin started twice");
  auto session = std::make_shared<MqttSession>(settings_, context, kPluginVersion);
  session->start();
  session_ = std::move(session);
}

void MqttPlugin::stop() {
  if (!session_) return;
  session_->stop();
  session_.reset();
}

MqttStatistics MqttPlugin::statistics() const {
  return session_ ? session_->statistics() : MqttStatistics{};
}

}  // namespace seer::mqtt
