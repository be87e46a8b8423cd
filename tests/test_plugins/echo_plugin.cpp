// A test plugin: provides an Echo service and republishes `echo/in` on `echo/out`.
#include <seer/plugin.hpp>

#include "echo_service.hpp"

namespace {

class EchoService final : public seer::test::Echo {
 public:
  explicit EchoService(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string echo(const std::string& text) override { return prefix_ + text; }

 private:
  std::string prefix_;
};

class EchoPlugin final : public seer::Plugin {
 public:
  seer::ConfigSchema config_schema() const override {
    seer::ConfigSchema schema;
    schema.optional("prefix", seer::ConfigType::string, "prepended to every echo", "\"\"");
    schema.optional("service_name", seer::ConfigType::string, "registry name", "echo");
    schema.list_of("requires", seer::ConfigType::string, "interfaces needed before start");
    return schema;
  }
  std::vector<seer::ServiceInfo> provided_services() const override {
    return {{std::string(seer::test::Echo::interface_id), "echoes text"}};
  }
  std::vector<std::string> required_services() const override { return required_; }
  void configure(const seer::ConfigNode& config) override {
    prefix_ = config["prefix"].string_or("");
    service_name_ = config["service_name"].string_or("echo");
    if (config["requires"].defined()) required_ = config["requires"].as_string_list();
  }
  void start(seer::PluginContext& context) override {
    context.provide<seer::test::Echo>(service_name_, std::make_shared<EchoService>(prefix_));
    subscription_ = context.subscribe("echo/in", [&context, this](const seer::EventPtr& event) {
      context.publish("echo/out",
                      boost::json::value(prefix_ + std::string(event->payload.as_string())),
                      event->trace_id);
    });
  }
  void stop() override { subscription_.unsubscribe(); }

 private:
  std::string prefix_;
  std::string service_name_;
  std::vector<std::string> required_;
  seer::Subscription subscription_;
};

}  // namespace

SEER_PLUGIN(EchoPlugin, "echo", "0.1.0", "Test plugin: an Echo service and echo/in → echo/out")
