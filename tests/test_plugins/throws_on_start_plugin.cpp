// A test plugin whose start() throws after registering a service.
#include <seer/plugin.hpp>

#include <stdexcept>

#include "echo_service.hpp"

namespace {

class NeverEcho final : public seer::test::Echo {
 public:
  std::string echo(const std::string&) override { return {}; }
};

class ThrowsOnStart final : public seer::Plugin {
 public:
  void configure(const seer::ConfigNode&) override {}
  void start(seer::PluginContext& context) override {
    context.provide<seer::test::Echo>("half-started", std::make_shared<NeverEcho>());
    throw std::runtime_error("camera /dev/video9 does not exist");
  }
  void stop() override {}
};

}  // namespace

SEER_PLUGIN(ThrowsOnStart, "throws-on-start", "0.1.0", "Test plugin: start() throws")
