// `seer run`: start the runtime with a configuration and serve until SIGINT or SIGTERM.
#include <seer/host/runtime.hpp>
#include <seer/log.hpp>

#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "agents_setup.hpp"
#include "commands.hpp"
#include "load_config.hpp"

namespace seer::cli {
namespace {

struct RunOptions {
  std::string config_file;
  std::string log_level;
  std::string log_format;
};

int run(const RunOptions& options) {
  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto loaded = load_config(options.config_file);
  if (!loaded) return 2;
  RuntimeConfig& config = loaded->runtime;
  try {
    if (!options.log_level.empty()) config.log.level = log_level_from_string(options.log_level);
  } catch (const std::invalid_argument& error) {
    std::cerr << "error: --log-level: " << error.what() << '\n';
    return 2;
  }
  if (options.log_format == "json") config.log.format = LogFormat::json;
  configure_logging(config.log);
  if (print_diagnostics(loaded->diagnostics) > 0) return 2;

  auto log = logger("runtime");
  const auto deadline = config.shutdown_deadline;
  Runtime runtime(config, PluginLoader(PluginLoader::default_search_path(config.plugin_path)));
  if (print_diagnostics(runtime.prepare()) > 0) {
    log->error("{} has errors; nothing was started", options.config_file);
    return 2;
  }
  runtime.start();
  const auto agents = start_agents(runtime, loaded->root);
  if (!agents) {
    log->error("{}: an agent cannot start; stopping", options.config_file);
    runtime.stop();
    return 2;
  }
  log->info("seer {} is up with {}; stop it with Ctrl-C", SEER_VERSION, options.config_file);

  int received = 0;
  sigwait(&stop_signals, &received);
  log->info("received {}, stopping (deadline {} ms)", received == SIGINT ? "SIGINT" : "SIGTERM",
            deadline.count());
  agents->stop();
  if (!runtime.stop()) {
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
    std::_Exit(1);  // a plugin is stuck in stop(): leave without running its destructors
  }
  log->info("stopped cleanly");
  return 0;
}

}  // namespace

void add_run_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command = app.add_subcommand("run", "Start the runtime and serve until Ctrl-C");
  command->add_option("-c,--config", options->config_file, "configuration file (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--log-level", options->log_level,
                      "override seer.log.level (trace, debug, info, warning, error)");
  command->add_option("--log-format", options->log_format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace seer::cli
