#pragma once
// Reads a configuration file the way every sub-command does and prints its diagnostics.

#include <seer/host/runtime_config.hpp>

#include <filesystem>
#include <optional>
#include <vector>

namespace seer::cli {

struct LoadedConfig {
  ConfigNode root;  // the whole document, for the sections other parts read (agents:)
  RuntimeConfig runtime;
  std::vector<ConfigDiagnostic> diagnostics;
};

// Nullopt (after printing the error to stderr) when the file cannot be parsed at all.
std::optional<LoadedConfig> load_config(const std::filesystem::path& file);

// Prints each diagnostic on stderr; returns the number of errors among them.
std::size_t print_diagnostics(const std::vector<ConfigDiagnostic>& diagnostics);

}  // namespace seer::cli
