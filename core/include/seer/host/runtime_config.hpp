#pragma once
// The runtime's own configuration: the `seer:` section and the list of plugin instances.

#include <seer/config.hpp>
#include <seer/log.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace seer {

struct PluginInstanceConfig {
  std::string instance;  // the key under `plugins:`
  std::string plugin;    // which plugin library; defaults to the instance name
  bool enabled = true;
  std::vector<std::string> depends_on;  // instances that must start first
  // How long start() may take; past it the instance is failed and the runtime goes on (the
  // runtime reads `start_timeout` from the section once it has validated it).
  Duration start_timeout = std::chrono::seconds(30);
  ConfigNode section;  // the whole section, reserved keys included
};

struct RuntimeConfig {
  std::size_t threads = 2;
  Duration shutdown_deadline = std::chrono::seconds(10);
  std::vector<std::filesystem::path> plugin_path;
  LogSettings log;
  std::vector<PluginInstanceConfig> plugins;  // in file order
};

// Keys every plugin section may have besides the plugin's own.
inline constexpr const char* kReservedPluginKeys[] = {"plugin", "enabled", "depends_on",
                                                      "log_level", "start_timeout"};

// The schema of the top-level document (the `seer:` section; `plugins:` is a free map).
ConfigSchema runtime_config_schema();

// Validates against runtime_config_schema() (diagnostics appended) and, when that found no
// errors, reads the values. Throws ConfigError for values that cannot be read at all.
RuntimeConfig read_runtime_config(const ConfigNode& root,
                                  std::vector<ConfigDiagnostic>& diagnostics);

}  // namespace seer
