#pragma once
// The bagel plugin: BAGEL-7B-MoT in-process, registered as a VisionLanguageModel and a
// ChatModel under the plugin's instance name. Health is `starting` while the checkpoint loads
// (a background thread, so the rest of the runtime comes up at once), then `ready` or `failed`.

#include <seer/plugin.hpp>

#include <atomic>
#include <memory>
#include <thread>

#include "bagel_model.hpp"
#include "bagel_settings.hpp"

namespace seer::bagel {

class BagelPlugin final : public Plugin {
 public:
  ConfigSchema config_schema() const override { return bagel_config_schema(); }
  std::vector<ServiceInfo> provided_services() const override;
  void configure(const ConfigNode& config) override;
  void start(PluginContext& context) override;
  void stop() override;

 private:
  BagelSettings settings_;
  std::shared_ptr<BagelModel> model_;
  std::shared_ptr<std::atomic<bool>> stopping_;
  std::thread loader_;
};

}  // namespace seer::bagel
