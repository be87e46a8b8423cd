#pragma once
// The runtime: owns the executor, bus and registry, and takes plugins through their
// lifecycle — load, validate, configure, start in dependency order, stop in reverse.

#include <seer/bus.hpp>
#include <seer/executor.hpp>
#include <seer/health.hpp>
#include <seer/host/plugin_loader.hpp>
#include <seer/host/runtime_config.hpp>
#include <seer/service_registry.hpp>

#include <memory>
#include <string>
#include <vector>

namespace seer {

struct PluginStatus {
  std::string instance;
  std::string plugin;
  std::string version;
  Health health;
};

class Runtime {
 public:
  Runtime(RuntimeConfig config, PluginLoader loader);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Loads every enabled plugin, validates its section against its schema and configures it.
  // Returns every diagnostic; plugins with errors are left out of start().
  std::vector<ConfigDiagnostic> prepare();
  // Starts the prepared plugins in dependency order. A plugin that throws is marked failed
  // (and its dependents are not started); the others keep running.
  void start();
  // Stops started plugins in reverse order within the shutdown deadline. Returns false, after
  // logging which plugin is stuck, when the deadline passed.
  bool stop();

  std::vector<PluginStatus> status() const;
  Bus& bus() { return *bus_; }
  ServiceRegistry& registry() { return *registry_; }
  Executor& executor() { return *executor_; }

 private:
  struct Instance;
  struct Abandoned;
  void start_instance(Instance& instance);

  RuntimeConfig config_;
  PluginLoader loader_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<Bus> bus_;
  // Shared with the stopping thread, which may outlive a runtime whose stop() overran.
  std::shared_ptr<ServiceRegistry> registry_ = std::make_shared<ServiceRegistry>();
  std::vector<std::unique_ptr<Instance>> instances_;  // in start order after prepare()
  // Set when stop() overran: the stopping thread still uses the plugins, so the destructor
  // hands everything to it and the thread's last reference frees it when it finishes.
  std::shared_ptr<Abandoned> abandoned_;
};

}  // namespace seer
