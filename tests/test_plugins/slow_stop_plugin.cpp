// A test plugin whose stop() takes `stop_delay` (to test the shutdown deadline).
#include <seer/plugin.hpp>

#include <thread>

namespace {

class SlowStop final : public seer::Plugin {
 public:
  seer::ConfigSchema config_schema() const override {
    seer::ConfigSchema schema;
    schema.optional("stop_delay", seer::ConfigType::duration, "how long stop() takes", "0s");
    return schema;
  }
  void configure(const seer::ConfigNode& config) override {
    delay_ = config["stop_delay"].duration_or(seer::Duration(0));
  }
  void start(seer::PluginContext&) override {}
  void stop() override { std::this_thread::sleep_for(delay_); }

 private:
  seer::Duration delay_{0};
};

}  // namespace

SEER_PLUGIN(SlowStop, "slow-stop", "0.1.0", "Test plugin: stop() sleeps")
