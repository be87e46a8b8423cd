// A test plugin whose start() takes `start_delay` before it registers its Echo service (to
// test the runtime's start_timeout and what happens when such a start returns late).
#include <seer/plugin.hpp>

#include <thread>

#include "echo_service.hpp"

namespace {

class LateEcho final : public seer::test::Echo {
 public:
  std::string echo(const std::string& text) override { return "late: " + text; }
};

class HangsOnStart final : public seer::Plugin {
 public:
  seer::ConfigSchema config_schema() const override {
    seer::ConfigSchema schema;
    schema.optional("start_delay", seer::ConfigType::duration, "how long start() takes", "0s");
    return schema;
  }
  void configure(const seer::ConfigNode& config) override {
    delay_ = config["start_delay"].duration_or(seer::Duration(0));
  }
  void start(seer::PluginContext& context) override {
    std::this_thread::sleep_for(delay_);
    context.provide<seer::test::Echo>(context.instance_name(), std::make_shared<LateEcho>());
  }
  void stop() override {}

 private:
  seer::Duration delay_{0};
};

}  // namespace

SEER_PLUGIN(HangsOnStart, "hangs-on-start", "0.1.0", "Test plugin: start() sleeps")
