#include <seer/host/dependency_order.hpp>
#include <seer/host/runtime.hpp>
#include <seer/log.hpp>
#include <seer/plugin.hpp>

#include <boost/json/object.hpp>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace seer {

struct Runtime::Instance {
  PluginInstanceConfig config;
  std::shared_ptr<PluginLibrary> library;
  std::shared_ptr<Plugin> plugin;
  std::unique_ptr<HealthReporter> health;
  std::unique_ptr<PluginContext> context;
  std::vector<Instance*> dependencies;
  bool usable = false;  // loaded and configured without errors
  bool started = false;
};

// What a runtime whose stop() overran, or one of whose start() calls overran its timeout,
// leaves behind, destroyed in the safe order (see ~Runtime) by whichever lets go last: the
// runtime, its stopping thread or a late start's thread.
struct Runtime::Abandoned {
  std::vector<std::unique_ptr<Instance>> instances;
  std::unique_ptr<Executor> executor;
  std::unique_ptr<Bus> bus;
};

// One start() call on its own thread, shared with the runtime waiting for it.
struct Runtime::StartAttempt {
  std::mutex mutex;
  std::condition_variable changed;
  bool settled = false;  // start() returned (and, when late, the plugin was stopped again)
  bool late = false;     // the runtime stopped waiting at the start_timeout
  std::exception_ptr error;
  std::shared_ptr<Abandoned> leftovers;  // set when late: what the thread still uses
};

namespace {

ConfigDiagnostic error_at(const ConfigNode& node, std::string message) {
  return {ConfigDiagnostic::Severity::error, node.location(), node.key_path(), std::move(message)};
}

ConfigDiagnostic to_diagnostic(const ConfigError& error) {
  return {ConfigDiagnostic::Severity::error, error.location(), error.key_path(), error.message()};
}

// The plugin's own schema plus the keys the runtime reads from every plugin section.
ConfigSchema section_schema(const Plugin& plugin) {
  ConfigSchema schema = plugin.config_schema();
  schema.optional("plugin", ConfigType::string, "which plugin library this instance runs");
  schema.optional("enabled", ConfigType::boolean, "start this instance", "true");
  schema.list_of("depends_on", ConfigType::string, "instances that must start first");
  schema.optional("log_level", ConfigType::string, "this instance's log level");
  schema.add({.key = "start_timeout",
              .type = ConfigType::duration,
              .description = "how long start() may take before this instance is failed",
              .default_text = "30s",
              .minimum = 0.001});
  return schema;
}

bool has_errors(const std::vector<ConfigDiagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const ConfigDiagnostic& d) {
    return d.severity == ConfigDiagnostic::Severity::error;
  });
}

}  // namespace

Runtime::Runtime(RuntimeConfig config, PluginLoader loader)
    : config_(std::move(config)),
      loader_(std::move(loader)),
      executor_(std::make_unique<Executor>(config_.threads)),
      bus_(std::make_unique<Bus>(*executor_)) {}

Runtime::~Runtime() {
  if (!stop_overran_) stop();
  if (abandoned_) {
    abandoned_->instances = std::move(instances_);
    abandoned_->executor = std::move(executor_);
    abandoned_->bus = std::move(bus_);
    return;
  }
  // The io_context may hold services whose code is in a plugin (the first timer a plugin
  // creates registers one): destroy it while every plugin library is still loaded.
  bus_.reset();
  executor_.reset();
  instances_.clear();
}

std::vector<ConfigDiagnostic> Runtime::prepare() {
  std::vector<ConfigDiagnostic> diagnostics;
  std::vector<std::unique_ptr<Instance>> loaded;
  std::map<std::string, Instance*> by_name;
  for (const auto& config : config_.plugins) {
    if (!config.enabled) continue;
    auto instance = std::make_unique<Instance>();
    instance->config = config;
    try {
      instance->library = loader_.load_by_name(config.plugin);
      instance->plugin = instance->library->create();
      auto found = section_schema(*instance->plugin).validate(config.section);
      const bool section_ok = !has_errors(found);
      diagnostics.insert(diagnostics.end(), found.begin(), found.end());
      if (section_ok) {
        // Read here, once the schema has checked it is a duration.
        instance->config.start_timeout =
            config.section["start_timeout"].duration_or(config.start_timeout);
        instance->plugin->configure(config.section);
        instance->usable = true;
      }
    } catch (const ConfigError& error) {
      diagnostics.push_back(to_diagnostic(error));
    } catch (const std::exception& error) {
      diagnostics.push_back(error_at(config.section, error.what()));
    }
    by_name[config.instance] = instance.get();
    loaded.push_back(std::move(instance));
  }

  // Dependencies: named instances, and the providers of every service a plugin requires.
  std::vector<std::vector<std::size_t>> edges(loaded.size());
  std::vector<std::string> names;
  std::map<Instance*, std::size_t> index;
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    index[loaded[i].get()] = i;
    names.push_back(loaded[i]->config.instance);
  }
  for (auto& instance : loaded) {
    const ConfigNode section = instance->config.section;
    for (const auto& name : instance->config.depends_on) {
      auto found = by_name.find(name);
      if (found == by_name.end()) {
        diagnostics.push_back(error_at(
            section["depends_on"], "depends on '" + name + "', which is not an enabled plugin"));
        instance->usable = false;
      } else {
        instance->dependencies.push_back(found->second);
      }
    }
    if (!instance->plugin) continue;
    for (const auto& required : instance->plugin->required_services()) {
      std::vector<Instance*> providers;
      for (auto& candidate : loaded) {
        if (!candidate->plugin || candidate.get() == instance.get()) continue;
        for (const auto& service : candidate->plugin->provided_services()) {
          if (service.interface_id == required) providers.push_back(candidate.get());
        }
      }
      if (providers.empty()) {
        diagnostics.push_back(error_at(section, "plugin '" + instance->config.plugin +
                                                    "' requires a " + required +
                                                    " service, which no enabled plugin provides"));
        instance->usable = false;
      }
      instance->dependencies.insert(instance->dependencies.end(), providers.begin(),
                                    providers.end());
    }
  }
  for (auto& instance : loaded) {
    for (Instance* dependency : instance->dependencies) {
      edges[index[instance.get()]].push_back(index[dependency]);
    }
  }

  try {
    for (std::size_t i : dependency_order(edges, names)) instances_.push_back(std::move(loaded[i]));
  } catch (const DependencyCycle& cycle) {
    diagnostics.push_back(error_at(config_.plugins.front().section, cycle.what()));
    for (auto& instance : loaded) instances_.push_back(std::move(instance));
    for (auto& instance : instances_) instance->usable = false;
  }
  return diagnostics;
}

void Runtime::start_instance(Instance& instance) {
  const std::string& name = instance.config.instance;
  auto log = logger("runtime");
  instance.health =
      std::make_unique<HealthReporter>([bus = bus_.get(), name, log](const Health& health) {
        log->info("{}: {}{}{}", name, to_string(health.state), health.reason.empty() ? "" : " — ",
                  health.reason);
        boost::json::object payload{
            {"instance", name}, {"state", to_string(health.state)}, {"reason", health.reason}};
        bus->publish("seer/health/" + name, std::move(payload), "runtime");
      });
  for (const Instance* dependency : instance.dependencies) {
    if (!dependency->started) {
      instance.health->failed("dependency '" + dependency->config.instance + "' is not running");
      return;
    }
  }
  instance.context = std::make_unique<PluginContext>(
      name, *bus_, *registry_, *executor_, logger(name), *instance.health, instance.library);
  instance.health->set(HealthState::starting);

  // start() runs on a thread of its own, so that one that hangs holds up nothing but itself.
  auto attempt = std::make_shared<StartAttempt>();
  std::thread starting([&instance, registry = registry_, attempt]() mutable {
    run_start(instance, std::move(registry), attempt);
  });
  std::unique_lock lock(attempt->mutex);
  if (!attempt->changed.wait_for(lock, instance.config.start_timeout,
                                 [&] { return attempt->settled; })) {
    // Left to finish on its own: the leftovers keep the bus, the executor and this instance
    // (its library included) alive for it, even past the runtime's end.
    if (!abandoned_) abandoned_ = std::make_shared<Abandoned>();
    attempt->leftovers = abandoned_;
    attempt->late = true;
    instance.health->failed("start did not return within its start_timeout of " +
                            std::to_string(instance.config.start_timeout.count()) + " ms");
    lock.unlock();
    starting.detach();
    late_starts_.emplace_back(&instance, attempt);
    return;
  }
  lock.unlock();
  starting.join();
  try {
    if (attempt->error) std::rethrow_exception(attempt->error);
    instance.started = true;
    // A plugin still working in the background says so with a reason ("loading …") and
    // reports ready itself later; otherwise returning from start() means ready.
    const Health health = instance.health->current();
    if (health.state == HealthState::starting && health.reason.empty()) instance.health->ready();
  } catch (const std::exception& error) {
    instance.health->failed(std::string("start failed: ") + error.what());
  } catch (...) {
    instance.health->failed("start failed with a non-standard exception");
  }
  if (!instance.started) {
    // Whatever it registered before throwing goes with it.
    registry_->remove_provider(name);
    try {
      instance.plugin->stop();
    } catch (...) {
    }
  }
}

void Runtime::run_start(Instance& instance, std::shared_ptr<ServiceRegistry> registry,
                        const std::shared_ptr<StartAttempt>& attempt) {
  std::exception_ptr error;
  try {
    instance.plugin->start(*instance.context);
  } catch (...) {
    error = std::current_exception();
  }
  std::unique_lock lock(attempt->mutex);
  if (!attempt->late) {
    attempt->error = error;
    attempt->settled = true;
    attempt->changed.notify_all();
    return;
  }
  // The runtime went on without this instance: undo whatever the late start() set up.
  std::shared_ptr<Abandoned> leftovers = attempt->leftovers;
  lock.unlock();
  const std::string& name = instance.config.instance;
  logger("runtime")->warn("{}: start() returned after its start_timeout; stopping it", name);
  registry->remove_provider(name);
  try {
    instance.plugin->stop();
  } catch (const std::exception& stop_error) {
    logger("runtime")->error("{}: stop failed: {}", name, stop_error.what());
  } catch (...) {
  }
  instance.health->failed("start returned only after its start_timeout of " +
                          std::to_string(instance.config.start_timeout.count()) +
                          " ms; stopped again");
  // Let go before saying so: a runtime still alive (stop() waits for `settled`) then stays the
  // last owner and tears down on its own thread, not this one while the process may be exiting.
  // When the runtime is already gone, this is what frees what it left behind.
  registry.reset();
  leftovers.reset();
  lock.lock();
  attempt->settled = true;
  attempt->changed.notify_all();
}

std::size_t Runtime::start() {
  for (auto& instance : instances_) {
    if (instance->usable) start_instance(*instance);
  }
  std::size_t running = 0;
  for (const auto& instance : instances_) running += instance->started ? 1 : 0;
  logger("runtime")->info("{} of {} plugins running", running, instances_.size());
  return running;
}

bool Runtime::stop() {
  if (stop_overran_) return false;
  const Deadline deadline = std::chrono::steady_clock::now() + config_.shutdown_deadline;
  return stop_started(deadline) && wait_for_late_starts(deadline);
}

bool Runtime::stop_started(Deadline deadline) {
  std::vector<Instance*> to_stop;
  for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) {
    if ((*it)->started) to_stop.push_back(it->get());
  }
  if (to_stop.empty()) return true;

  auto current = std::make_shared<std::atomic<Instance*>>(nullptr);
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  auto leftovers = abandoned_ ? abandoned_ : std::make_shared<Abandoned>();
  std::thread stopping([registry = registry_, to_stop, current, leftovers,
                        done = std::move(done)]() mutable {
    for (Instance* instance : to_stop) {
      current->store(instance);
      try {
        instance->plugin->stop();
      } catch (const std::exception& error) {
        logger("runtime")->error("{}: stop failed: {}", instance->config.instance, error.what());
      }
      instance->started = false;
      registry->remove_provider(instance->config.instance);
      instance->health->set(HealthState::stopped);
    }
    done.set_value();
  });
  if (finished.wait_until(deadline) == std::future_status::ready) {
    stopping.join();
    return true;
  }
  Instance* stuck = current->load();
  logger("runtime")->error("shutdown deadline of {} ms passed while stopping '{}'",
                           config_.shutdown_deadline.count(),
                           stuck ? stuck->config.instance : std::string("?"));
  abandoned_ = std::move(leftovers);
  stop_overran_ = true;
  stopping.detach();
  return false;
}

bool Runtime::wait_for_late_starts(Deadline deadline) {
  for (const auto& [instance, attempt] : late_starts_) {
    std::unique_lock lock(attempt->mutex);
    if (!attempt->changed.wait_until(lock, deadline, [&] { return attempt->settled; })) {
      logger("runtime")->error("shutdown deadline of {} ms passed while '{}' is still in start()",
                               config_.shutdown_deadline.count(), instance->config.instance);
      stop_overran_ = true;
      return false;
    }
  }
  return true;
}

std::vector<PluginStatus> Runtime::status() const {
  std::vector<PluginStatus> result;
  for (const auto& instance : instances_) {
    PluginStatus status{instance->config.instance,
                        instance->config.plugin,
                        instance->library ? instance->library->version() : "",
                        {}};
    if (instance->health) {
      status.health = instance->health->current();
    } else {
      status.health.state = HealthState::failed;
      status.health.reason = instance->usable ? "not started" : "configuration errors";
    }
    result.push_back(std::move(status));
  }
  return result;
}

}  // namespace seer
