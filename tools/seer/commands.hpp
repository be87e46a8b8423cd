#pragma once
// The `seer` sub-commands: each registers its options on the app and runs when chosen.

#include <CLI/App.hpp>

#include <functional>

namespace seer::cli {

// The exit code of the chosen sub-command is stored here by its callback.
using ExitCode = int;

void add_run_command(CLI::App& app, ExitCode& exit_code);
void add_plugins_command(CLI::App& app, ExitCode& exit_code);
void add_config_command(CLI::App& app, ExitCode& exit_code);
void add_report_command(CLI::App& app, ExitCode& exit_code);
void add_agent_command(CLI::App& app, ExitCode& exit_code);
void add_doctor_command(CLI::App& app, ExitCode& exit_code);
#ifdef SEER_WITH_MODELS
void add_serve_command(CLI::App& app, ExitCode& exit_code);
void add_generate_command(CLI::App& app, ExitCode& exit_code);
#endif

}  // namespace seer::cli
