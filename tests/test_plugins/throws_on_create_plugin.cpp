// A test plugin whose constructor throws.
#include <seer/plugin.hpp>

#include <stdexcept>

namespace {

class ThrowsOnCreate final : public seer::Plugin {
 public:
  ThrowsOnCreate() { throw std::runtime_error("constructor refused"); }
  void configure(const seer::ConfigNode&) override {}
  void start(seer::PluginContext&) override {}
  void stop() override {}
};

}  // namespace

SEER_PLUGIN(ThrowsOnCreate, "throws-on-create", "0.1.0", "Test plugin: the constructor throws")
