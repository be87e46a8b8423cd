#pragma once
// The mqtt plugin: a bridge between the bus and an MQTT broker (libmosquitto), with an
// availability topic, an offline queue and Home Assistant discovery. See README.md.

#include "mqtt_session.hpp"
#include "mqtt_settings.hpp"

#include <seer/plugin.hpp>

#include <memory>

namespace seer::mqtt {

inline constexpr char kPluginVersion[] = "1.0.0";

class MqttPlugin final : public Plugin {
 public:
  MqttPlugin() = default;
  ~MqttPlugin() override;
  MqttPlugin(const MqttPlugin&) = delete;
  MqttPlugin& operator=(const MqttPlugin&) = delete;

  ConfigSchema config_schema() const override { return mqtt_config_schema(); }
  void configure(const ConfigNode& config) override;
  void start(PluginContext& context) override;
  void stop() override;

  const MqttSettings& settings() const { return settings_; }
  // Zeros before start.
  MqttStatistics statistics() const;

 private:
  MqttSettings settings_;
  std::shared_ptr<MqttSession> session_;
};

}  // namespace seer::mqtt
