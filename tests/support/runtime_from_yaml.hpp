#pragma once
// A runtime started from a configuration document with the plugins of this build
// (SEER_PLUGIN_BUILD_DIR, which the test target defines), for tests that need real plugins.

#include <seer/host/runtime.hpp>
#include <seer/log.hpp>

#include <memory>
#include <stdexcept>
#include <vector>

namespace seer::test {

// Applies the document's log settings, prepares and starts every plugin. Throws
// std::runtime_error with the first error diagnostic (nothing is started then).
inline std::unique_ptr<Runtime> start_runtime_from(const ConfigNode& root) {
  std::vector<ConfigDiagnostic> diagnostics;
  const RuntimeConfig config = read_runtime_config(root, diagnostics);
  configure_logging(config.log);
  auto runtime = std::make_unique<Runtime>(config, PluginLoader({SEER_PLUGIN_BUILD_DIR}));
  const auto found = runtime->prepare();
  diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  for (const auto& diagnostic : diagnostics) {
    if (diagnostic.severity == ConfigDiagnostic::Severity::error) {
      throw std::runtime_error(diagnostic.to_string());
    }
  }
  runtime->start();
  return runtime;
}

}  // namespace seer::test
