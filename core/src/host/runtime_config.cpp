#include <seer/host/runtime_config.hpp>

#include <algorithm>
#include <thread>

namespace seer {
namespace {

const std::vector<std::string> kLevels = {"trace", "debug",    "info", "warning",
                                          "error", "critical", "off"};

ConfigSchema log_schema() {
  ConfigSchema schema;
  schema.choice("level", kLevels, "default level of every logger", "info");
  schema.choice("format", {"text", "json"}, "text lines for people, JSON lines for collectors",
                "text");
  schema.optional("levels", ConfigType::map,
                  "level per logger (a plugin instance name, or bus, loader, runtime)");
  return schema;
}

spdlog::level::level_enum read_level(const ConfigNode& node) {
  try {
    return log_level_from_string(node.as_string());
  } catch (const std::invalid_argument& error) {
    throw node.error(error.what());
  }
}

PluginInstanceConfig read_instance(const std::string& name, const ConfigNode& section) {
  PluginInstanceConfig instance;
  instance.instance = name;
  instance.section = section;
  if (!section.defined() || section.is_null()) {
    instance.plugin = name;
    return instance;
  }
  if (!section.is_map()) throw section.error("a plugin section must be a map of settings");
  instance.plugin = section["plugin"].string_or(name);
  instance.enabled = section["enabled"].bool_or(true);
  if (section["depends_on"].defined()) instance.depends_on = section["depends_on"].as_string_list();
  return instance;
}

}  // namespace

ConfigSchema runtime_config_schema() {
  ConfigSchema seer;
  seer.add({.key = "threads",
            .type = ConfigType::integer,
            .description = "threads running I/O, timers and bus delivery",
            .default_text = "number of cores, at least 2",
            .minimum = 1,
            .maximum = 256});
  seer.add({.key = "shutdown_deadline",
            .type = ConfigType::duration,
            .description = "how long plugins may take to stop after SIGINT/SIGTERM",
            .default_text = "10s",
            .minimum = 0.1});
  seer.list_of("plugin_path", ConfigType::string,
               "extra directories searched for plugins, before SEER_PLUGIN_PATH");
  seer.object("log", log_schema(), "logging");

  ConfigSchema root;
  root.object("seer", std::move(seer), "the runtime's own settings");
  root.optional("plugins", ConfigType::map, "plugin instances: name → settings");
  // Read by the agent runtime and `seer report`, which validate them with their own schemas.
  root.list_of("agents", ConfigType::any,
               "agents: files (relative to this file) or inline definitions (docs/agents.md)");
  root.optional("report", ConfigType::map, "the vision-report pipeline (docs/vision-report.md)");
  return root;
}

RuntimeConfig read_runtime_config(const ConfigNode& root,
                                  std::vector<ConfigDiagnostic>& diagnostics) {
  auto found = runtime_config_schema().validate(root);
  diagnostics.insert(diagnostics.end(), found.begin(), found.end());
  RuntimeConfig config;
  for (const auto& diagnostic : found) {
    if (diagnostic.severity == ConfigDiagnostic::Severity::error) return config;
  }

  const ConfigNode seer = root["seer"];
  const auto cores = static_cast<std::int64_t>(std::thread::hardware_concurrency());
  config.threads =
      static_cast<std::size_t>(seer["threads"].int_or(std::max<std::int64_t>(2, cores)));
  config.shutdown_deadline = seer["shutdown_deadline"].duration_or(config.shutdown_deadline);
  if (seer["plugin_path"].defined()) {
    for (const auto& entry : seer["plugin_path"].as_string_list()) {
      config.plugin_path.emplace_back(entry);
    }
  }
  const ConfigNode log = seer["log"];
  if (log["level"].defined()) config.log.level = read_level(log["level"]);
  config.log.format = log["format"].string_or("text") == "json" ? LogFormat::json : LogFormat::text;
  if (log["levels"].is_map()) {
    for (const auto& [name, level] : log["levels"].entries()) {
      config.log.levels[name] = read_level(level);
    }
  }

  const ConfigNode plugins = root["plugins"];
  if (plugins.is_map()) {
    for (const auto& [name, section] : plugins.entries()) {
      PluginInstanceConfig instance = read_instance(name, section);
      if (section.is_map() && section["log_level"].defined()) {
        config.log.levels[name] = read_level(section["log_level"]);
      }
      config.plugins.push_back(std::move(instance));
    }
  }
  return config;
}

}  // namespace seer
