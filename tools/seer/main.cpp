// seer: the runtime's command-line entry point.
#include <seer/plugin.hpp>

#include <CLI/CLI.hpp>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"seer — eyes and hands for an AI character: a plugin runtime with an event bus"};
  app.set_version_flag("--version", std::string("seer ") + SEER_VERSION + " (plugin ABI " +
                                        std::to_string(SEER_PLUGIN_ABI_VERSION) + ")");
  app.require_subcommand(1);
  seer::cli::ExitCode exit_code = 0;
  seer::cli::add_run_command(app, exit_code);
  seer::cli::add_plugins_command(app, exit_code);
  seer::cli::add_config_command(app, exit_code);
  seer::cli::add_report_command(app, exit_code);
  seer::cli::add_agent_command(app, exit_code);
  seer::cli::add_doctor_command(app, exit_code);
#ifdef SEER_WITH_MODELS
  seer::cli::add_serve_command(app, exit_code);
  seer::cli::add_generate_command(app, exit_code);
#endif
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
