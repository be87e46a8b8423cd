#include "serve_until_signal.hpp"

#include <seer/host/runtime.hpp>
#include <seer/log.hpp>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "agents_setup.hpp"

namespace seer::cli {

void add_log_options(CLI::App& command, LogOverrides& overrides) {
  command.add_option("--log-level", overrides.level,
                     "override seer.log.level (trace, debug, info, warning, error)");
  command.add_option("--log-format", overrides.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
}

namespace {

// Stops the runtime. When a plugin is still in stop() or start() at the deadline, the logs are
// flushed and the process leaves at once with exit code 1, without running the destructors that
// could pull the plugin's code from under it.
void stop_or_leave(Runtime& runtime) {
  if (runtime.stop()) return;
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
  std::_Exit(1);
}

}  // namespace

int serve_until_signal(LoadedConfig& loaded, const std::string& described_as,
                       const LogOverrides& overrides) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  RuntimeConfig& config = loaded.runtime;
  try {
    if (!overrides.level.empty()) config.log.level = log_level_from_string(overrides.level);
  } catch (const std::invalid_argument& error) {
    std::cerr << "error: --log-level: " << error.what() << '\n';
    return 2;
  }
  if (overrides.format == "json") config.log.format = LogFormat::json;
  configure_logging(config.log);
  if (print_diagnostics(loaded.diagnostics) > 0) return 2;

  auto log = logger("runtime");
  const auto deadline = config.shutdown_deadline;
  Runtime runtime(config, PluginLoader(PluginLoader::default_search_path(config.plugin_path)));
  if (print_diagnostics(runtime.prepare()) > 0) {
    log->error("{} has errors; nothing was started", described_as);
    return 2;
  }
  const std::size_t enabled = runtime.status().size();
  if (runtime.start() == 0 && enabled > 0) {
    // Each failure was logged with its reason as it happened; serving nothing helps no one.
    log->error("{}: no plugin is running ({} failed); stopping", described_as, enabled);
    stop_or_leave(runtime);
    return 1;
  }
  const auto agents = start_agents(runtime, loaded.root);
  if (!agents) {
    log->error("{}: an agent cannot start; stopping", described_as);
    stop_or_leave(runtime);
    return 2;
  }
  log->info("seer {} is up with {}; stop it with Ctrl-C", SEER_VERSION, described_as);

  int received = 0;
  sigwait(&stop_signals, &received);
  log->info("received {}, stopping (deadline {} ms)", received == SIGINT ? "SIGINT" : "SIGTERM",
            deadline.count());
  agents->stop();
  stop_or_leave(runtime);
  log->info("stopped cleanly");
  return 0;
}

}  // namespace seer::cli
