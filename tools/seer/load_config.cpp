#include "load_config.hpp"

#include <iostream>

namespace seer::cli {

std::optional<LoadedConfig> load_config(const std::filesystem::path& file) {
  try {
    LoadedConfig loaded;
    loaded.root = ConfigNode::load_file(file);
    loaded.runtime = read_runtime_config(loaded.root, loaded.diagnostics);
    return loaded;
  } catch (const ConfigError& error) {
    print_diagnostics(
        {{ConfigDiagnostic::Severity::error, error.location(), error.key_path(), error.message()}});
    return std::nullopt;
  }
}

std::size_t print_diagnostics(const std::vector<ConfigDiagnostic>& diagnostics) {
  std::size_t errors = 0;
  for (const auto& diagnostic : diagnostics) {
    std::cerr << diagnostic.to_string() << '\n';
    if (diagnostic.severity == ConfigDiagnostic::Severity::error) ++errors;
  }
  return errors;
}

}  // namespace seer::cli
