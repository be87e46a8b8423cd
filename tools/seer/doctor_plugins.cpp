// `seer doctor`: the plugin search path, every plugin file on it loaded, and the plugins the
// configuration names found.
#include <seer/host/plugin_loader.hpp>

#include <set>

#include "doctor_checks.hpp"

namespace seer::cli::doctor {

Findings check_plugins(const RuntimeConfig* config) {
  Findings findings;
  PluginLoader loader(PluginLoader::default_search_path(config ? config->plugin_path
                                                               : decltype(config->plugin_path){}));
  std::string searched;
  for (const auto& directory : loader.search_path()) {
    searched += (searched.empty() ? "" : ", ") + directory.string();
  }
  std::set<std::string> loadable;
  for (const auto& found : loader.discover()) {
    const std::string subject = "plugin " + found.file.filename().string();
    if (found.library) {
      loadable.insert(found.library->name());
      findings.push_back({Status::ok,
                          subject,
                          found.library->name() + " " + found.library->version() + " (" +
                              found.file.parent_path().string() + ")",
                          {}});
    } else {
      findings.push_back({Status::fail, subject, found.error,
                          "rebuild the plugin against this seer's SDK, or remove the file"});
    }
  }
  if (loadable.empty()) {
    findings.push_back({Status::fail, "plugins", "no loadable plugin in " + searched,
                        "reinstall seer, or set SEER_PLUGIN_PATH / seer.plugin_path to the "
                        "folder holding seer-plugin-*.so"});
  }
  if (!config) return findings;
  for (const auto& instance : config->plugins) {
    if (!instance.enabled || loadable.contains(instance.plugin)) continue;
    findings.push_back({Status::fail, "plugin '" + instance.plugin + "'",
                        "the configuration's '" + instance.instance + "' needs it, and " +
                            PluginLoader::file_name_for(instance.plugin) + " is in none of " +
                            searched,
                        "install it, or add its folder to seer.plugin_path"});
  }
  return findings;
}

}  // namespace seer::cli::doctor
