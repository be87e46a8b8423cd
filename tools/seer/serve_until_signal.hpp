#pragma once
// What `seer run` and `seer serve` share: start the plugins and the agents of a loaded
// configuration, serve until SIGINT or SIGTERM, then stop within the shutdown deadline.

#include <CLI/App.hpp>

#include <string>

#include "load_config.hpp"

namespace seer::cli {

struct LogOverrides {
  std::string level;   // empty: the configuration's seer.log.level
  std::string format;  // "json" or empty
};

// --log-level and --log-format.
void add_log_options(CLI::App& command, LogOverrides& overrides);

// Blocks SIGINT and SIGTERM in every thread first, so only this function receives them.
// Returns the process exit code: 0 after a clean stop, 2 when the configuration or an agent
// cannot start; leaves with _Exit(1) when a plugin is stuck in stop().
int serve_until_signal(LoadedConfig& loaded, const std::string& described_as,
                       const LogOverrides& overrides);

}  // namespace seer::cli
