#pragma once
// The doorbell plugin: a webhook (POST http://HOST:PORT/ring) that publishes a `doorbell`
// event on seer's bus, for agents and other plugins (mqtt, http) to act on.

#include <seer/config.hpp>
#include <seer/plugin.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace doorbell {

class WebhookListener;

struct DoorbellSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8099;
  std::string path = "/ring";
  std::string topic = "doorbell";
};

class DoorbellPlugin final : public seer::Plugin {
 public:
  seer::ConfigSchema config_schema() const override;
  void configure(const seer::ConfigNode& config) override;
  void start(seer::PluginContext& context) override;
  void stop() override;

 private:
  DoorbellSettings settings_;
  std::shared_ptr<WebhookListener> listener_;
};

}  // namespace doorbell
