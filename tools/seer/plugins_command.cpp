// `seer plugins`: list the plugins found on the search path with what they provide.
#include <seer/host/plugin_loader.hpp>

#include <iostream>

#include "commands.hpp"
#include "load_config.hpp"

namespace seer::cli {
namespace {

struct PluginsOptions {
  std::string config_file;
  bool verbose = false;
};

void print_schema(const ConfigSchema& schema, const std::string& indent) {
  for (const auto& field : schema.fields()) {
    std::cout << indent << field.key << " (" << to_string(field.type)
              << (field.required ? ", required" : "")
              << (field.default_text.empty() ? "" : ", default " + field.default_text)
              << "): " << field.description << '\n';
    if (field.nested) print_schema(*field.nested, indent + "  ");
  }
}

void print_plugin(const DiscoveredPlugin& found, bool verbose) {
  if (!found.library) {
    std::cout << "! " << found.file.filename().string() << ": " << found.error << "\n\n";
    return;
  }
  const auto& library = *found.library;
  std::cout << library.name() << ' ' << library.version() << "  (ABI " << SEER_PLUGIN_ABI_VERSION
            << ", " << found.file.string() << ")\n  " << library.description() << '\n';
  try {
    const auto plugin = found.library->create();
    const auto services = plugin->provided_services();
    std::cout << "  services:" << (services.empty() ? " none" : "") << '\n';
    for (const auto& service : services) {
      std::cout << "    " << service.interface_id << " — " << service.description << '\n';
    }
    if (verbose) {
      std::cout << "  config keys:\n";
      print_schema(plugin->config_schema(), "    ");
    }
  } catch (const std::exception& error) {
    std::cout << "  cannot describe it: " << error.what() << '\n';
  }
  std::cout << '\n';
}

int list_plugins(const PluginsOptions& options) {
  std::vector<std::filesystem::path> configured;
  if (!options.config_file.empty()) {
    auto loaded = load_config(options.config_file);
    if (!loaded) return 2;
    configured = loaded->runtime.plugin_path;
  }
  PluginLoader loader(PluginLoader::default_search_path(configured));
  const auto found = loader.discover();
  for (const auto& plugin : found) print_plugin(plugin, options.verbose);
  std::cout << found.size() << " plugin file(s) found in:";
  for (const auto& directory : loader.search_path()) std::cout << ' ' << directory.string();
  std::cout << '\n';
  return 0;
}

}  // namespace

void add_plugins_command(CLI::App& app, ExitCode& exit_code) {
  auto options = std::make_shared<PluginsOptions>();
  CLI::App* command = app.add_subcommand("plugins", "List the plugins found and what they offer");
  command->add_option("-c,--config", options->config_file,
                      "also search this configuration's seer.plugin_path");
  command->add_flag("-v,--verbose", options->verbose, "show each plugin's configuration keys");
  command->callback([options, &exit_code] { exit_code = list_plugins(*options); });
}

}  // namespace seer::cli
