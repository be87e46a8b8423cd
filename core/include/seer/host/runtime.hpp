#pragma once
// The runtime: owns the executor, bus and registry, and takes plugins through their
// lifecycle — load, validate, configure, start in dependency order, stop in reverse.

#include <seer/bus.hpp>
#include <seer/executor.hpp>
#include <seer/health.hpp>
#include <seer/host/plugin_loader.hpp>
#include <seer/host/runtime_config.hpp>
#include <seer/service_registry.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
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
  // Starts the prepared plugins in dependency order. A plugin that throws, or whose start()
  // does not return within its start_timeout, is marked failed (and its dependents are not
  // started); the others keep running. A start() past its timeout goes on alone on its thread;
  // if it returns later, the plugin is stopped again. Returns how many plugins are running (of
  // the enabled ones, which status() lists).
  std::size_t start();
  // Stops started plugins in reverse order, then waits for start() calls still running past
  // their timeout, all within the shutdown deadline. Returns false, after logging which plugin
  // is stuck, when the deadline passed.
  bool stop();

  std::vector<PluginStatus> status() const;
  Bus& bus() { return *bus_; }
  ServiceRegistry& registry() { return *registry_; }
  Executor& executor() { return *executor_; }

 private:
  struct Instance;
  struct Abandoned;
  struct StartAttempt;
  using Deadline = std::chrono::steady_clock::time_point;
  void start_instance(Instance& instance);
  static void run_start(Instance& instance, std::shared_ptr<ServiceRegistry> registry,
                        const std::shared_ptr<StartAttempt>& attempt);
  bool stop_started(Deadline deadline);
  bool wait_for_late_starts(Deadline deadline);

  RuntimeConfig config_;
  PluginLoader loader_;
  std::unique_ptr<Executor> executor_;
  std::unique_ptr<Bus> bus_;
  // Shared with the stopping thread, which may outlive a runtime whose stop() overran.
  std::shared_ptr<ServiceRegistry> registry_ = std::make_shared<ServiceRegistry>();
  std::vector<std::unique_ptr<Instance>> instances_;  // in start order after prepare()
  // start() calls that overran their start_timeout, each still running on its own thread.
  std::vector<std::pair<Instance*, std::shared_ptr<StartAttempt>>> late_starts_;
  // Set when a thread may outlive the runtime (a start() past its timeout, a stop() past the
  // deadline): it still uses the plugins, so the destructor hands everything to it and the
  // last of those threads frees it when it finishes.
  std::shared_ptr<Abandoned> abandoned_;
  bool stop_overran_ = false;
};

}  // namespace seer
