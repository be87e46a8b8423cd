// `seer run`: start the runtime with a configuration and serve until SIGINT or SIGTERM.
#include "commands.hpp"
#include "load_config.hpp"
#include "serve_until_signal.hpp"

namespace seer::cli {
namespace {

struct RunOptions {
  std::string config_file;
  LogOverrides log;
};

int run(const RunOptions& options) {
  auto loaded = load_config(options.config_file);
  if (!loaded) return 2;
  return serve_until_signal(*loaded, options.config_file, options.log);
}

}  // namespace

void add_run_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command = app.add_subcommand("run", "Start the runtime and serve until Ctrl-C");
  command->add_option("-c,--config", options->config_file, "configuration file (YAML)")
      ->required()
      ->check(CLI::ExistingFile);
  add_log_options(*command, options->log);
  command->callback([options, &exit_code] { exit_code = run(*options); });
}

}  // namespace seer::cli
