#pragma once
// The plugin SDK: what a plugin implements and the one C entry point that exports it.
//
//   class Clock : public seer::Plugin { ... };
//   SEER_PLUGIN(Clock, "clock", "1.0.0", "Publishes ticks and cron schedules")
//
// The host dlopens the library, calls `seer_plugin_v1()`, checks `abi_version` before
// touching anything else, then creates the plugin through the descriptor. Bump
// SEER_PLUGIN_ABI_VERSION whenever any SDK header changes in a way that breaks plugins.

#include <seer/bus.hpp>
#include <seer/config.hpp>
#include <seer/health.hpp>
#include <seer/service_registry.hpp>

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#define SEER_PLUGIN_ABI_VERSION 2u
#define SEER_PLUGIN_ENTRY_SYMBOL "seer_plugin_v1"

namespace seer {

class Executor;

// What the runtime lends a plugin in start(). Valid until the plugin's stop() returns.
class PluginContext {
 public:
  PluginContext(std::string instance_name, Bus& bus, ServiceRegistry& registry, Executor& executor,
                std::shared_ptr<spdlog::logger> logger, HealthReporter& health,
                std::shared_ptr<const void> keepalive);

  const std::string& instance_name() const { return instance_name_; }
  Bus& bus() { return bus_; }
  ServiceRegistry& registry() { return registry_; }
  Executor& executor() { return executor_; }
  spdlog::logger& log() { return *logger_; }
  HealthReporter& health() { return health_; }
  // Holding this keeps the plugin's library loaded: capture it in work that may outlive
  // stop() (a timer handler still queued on the executor, say).
  const std::shared_ptr<const void>& keepalive() const { return keepalive_; }

  // Subscribes on behalf of this plugin: the plugin's library stays loaded while the
  // subscription lives, and it is named after the plugin in statistics.
  [[nodiscard]] Subscription subscribe(std::string_view filter, EventHandler handler,
                                       SubscribeOptions options = {});
  // Publishes with this plugin instance as the source.
  void publish(std::string_view topic, boost::json::value payload, TraceId trace_id = 0);

  // Registers a service provided by this plugin; removed again when the plugin stops.
  template <typename Interface>
  void provide(std::string name, std::shared_ptr<Interface> service) {
    registry_.add<Interface>(std::move(name), std::move(service), instance_name_, keepalive_);
  }

 private:
  std::string instance_name_;
  Bus& bus_;
  ServiceRegistry& registry_;
  Executor& executor_;
  std::shared_ptr<spdlog::logger> logger_;
  HealthReporter& health_;
  std::shared_ptr<const void> keepalive_;
};

// A service a plugin offers, for `seer plugins` and dependency ordering.
struct ServiceInfo {
  std::string interface_id;
  std::string description;
};

// Lifecycle: construct (cheap, no side effects) → configure → start → stop → destroy.
// Any of them may throw; the runtime reports it and carries on with the other plugins.
class Plugin {
 public:
  virtual ~Plugin() = default;

  // The keys this plugin's config section accepts; validated before configure().
  virtual ConfigSchema config_schema() const { return {}; }
  // Interfaces this plugin registers in start().
  virtual std::vector<ServiceInfo> provided_services() const { return {}; }
  // Interface ids that must be provided (by plugins started earlier) before start().
  virtual std::vector<std::string> required_services() const { return {}; }

  virtual void configure(const ConfigNode& config) = 0;
  virtual void start(PluginContext& context) = 0;
  // Must return promptly: the runtime stops every plugin within one shutdown deadline.
  virtual void stop() = 0;
};

}  // namespace seer

extern "C" {

// The static description a plugin library exports. Only `abi_version` may be read before
// it has been checked; new fields are only ever appended.
struct SeerPluginDescriptor {
  std::uint32_t abi_version;
  const char* name;
  const char* version;
  const char* description;
  // Returns nullptr and fills `error` (a static or thread-local string) if construction fails.
  seer::Plugin* (*create)(const char** error);
  void (*destroy)(seer::Plugin* plugin);
};

typedef const SeerPluginDescriptor* (*SeerPluginEntry)();
}

// Writes the exported entry point for plugin class `Class`. Exceptions never cross it.
#define SEER_PLUGIN(Class, Name, Version, Description)                                             \
  namespace {                                                                                      \
  seer::Plugin* seer_plugin_create(const char** error) {                                           \
    try {                                                                                          \
      return new Class();                                                                          \
    } catch (const std::exception& exception) {                                                    \
      thread_local std::string message;                                                            \
      message = exception.what();                                                                  \
      *error = message.c_str();                                                                    \
    } catch (...) {                                                                                \
      *error = "unknown exception";                                                                \
    }                                                                                              \
    return nullptr;                                                                                \
  }                                                                                                \
  void seer_plugin_destroy(seer::Plugin* plugin) { delete plugin; }                                \
  }                                                                                                \
  extern "C" __attribute__((visibility("default"))) const SeerPluginDescriptor* seer_plugin_v1() { \
    static const SeerPluginDescriptor descriptor{                                                  \
        SEER_PLUGIN_ABI_VERSION, Name, Version, Description, &seer_plugin_create,                  \
        &seer_plugin_destroy};                                                                     \
    return &descriptor;                                                                            \
  }
