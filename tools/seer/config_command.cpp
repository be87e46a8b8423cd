// `seer config check FILE`: validate a configuration, every plugin section and agent in it.
#include <seer/agents/agent_host.hpp>
#include <seer/host/runtime.hpp>
#include <seer/log.hpp>

#include <iostream>

#include "commands.hpp"
#include "load_config.hpp"

namespace seer::cli {
namespace {

int check(const std::string& file) {
  auto loaded = load_config(file);
  if (!loaded) {
    std::cerr << file << ": 1 error(s), 0 warning(s)\n";
    return 1;
  }
  LogSettings quiet;
  quiet.level = spdlog::level::warn;
  configure_logging(quiet);
  std::size_t errors = print_diagnostics(loaded->diagnostics);
  std::size_t warnings = loaded->diagnostics.size() - errors;
  if (errors == 0) {
    // Plugins validate their own sections: load and configure them, start nothing.
    Runtime runtime(loaded->runtime,
                    PluginLoader(PluginLoader::default_search_path(loaded->runtime.plugin_path)));
    const auto plugin_diagnostics = runtime.prepare();
    const std::size_t plugin_errors = print_diagnostics(plugin_diagnostics);
    errors += plugin_errors;
    warnings += plugin_diagnostics.size() - plugin_errors;
  }
  // Agent files are read too (whether their plugins exist is known only when they start).
  std::size_t agent_count = 0;
  try {
    agent_count = agents::read_agents_section(loaded->root["agents"]).size();
  } catch (const agents::AgentDefinitionError& error) {
    for (const std::string& problem : error.problems()) std::cerr << problem << '\n';
    errors += error.problems().size();
  }
  if (errors > 0) {
    std::cerr << file << ": " << errors << " error(s), " << warnings << " warning(s)\n";
    return 1;
  }
  std::cout << file << ": OK (" << loaded->runtime.plugins.size() << " plugin section(s), "
            << agent_count << " agent(s), " << warnings << " warning(s))\n";
  return 0;
}

}  // namespace

void add_config_command(CLI::App& app, ExitCode& exit_code) {
  CLI::App* config = app.add_subcommand("config", "Work with configuration files");
  config->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  CLI::App* command =
      config->add_subcommand("check", "Validate a configuration; exit 1 when it has errors");
  command->add_option("file", *file, "configuration file (YAML)")->required();
  command->callback([file, &exit_code] { exit_code = check(*file); });
}

}  // namespace seer::cli
