#pragma once
// Finds plugin libraries on a search path and loads them through their one C entry point.

#include <seer/plugin.hpp>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace seer {

class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A loaded plugin library. It stays loaded while this object, or anything it created
// (plugin objects, and whatever holds their keepalive), is alive.
class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
 public:
  PluginLibrary(std::filesystem::path file, void* handle, const SeerPluginDescriptor* descriptor);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const std::filesystem::path& file() const { return file_; }
  std::string name() const { return descriptor_->name; }
  std::string version() const { return descriptor_->version; }
  std::string description() const { return descriptor_->description; }

  // A new plugin object that keeps this library loaded. Throws PluginLoadError when the
  // plugin's constructor fails.
  std::shared_ptr<Plugin> create();

 private:
  std::filesystem::path file_;
  void* handle_;
  const SeerPluginDescriptor* descriptor_;
};

// What `seer plugins` shows for each file found.
struct DiscoveredPlugin {
  std::filesystem::path file;
  std::shared_ptr<PluginLibrary> library;  // null when loading failed
  std::string error;
};

class PluginLoader {
 public:
  explicit PluginLoader(std::vector<std::filesystem::path> search_path);

  // Directories in lookup order: `configured` (from the config file), then $SEER_PLUGIN_PATH
  // (colon-separated), then the installed plugins beside the executable
  // (<bin>/../lib/seer/plugins) when that folder exists, else the build tree's plugin folder.
  static std::vector<std::filesystem::path> default_search_path(
      const std::vector<std::filesystem::path>& configured = {});
  // "seer-plugin-clock.so" for "clock".
  static std::string file_name_for(std::string_view plugin_name);

  const std::vector<std::filesystem::path>& search_path() const { return search_path_; }

  // Throws PluginLoadError naming the file: not loadable, no entry point, wrong ABI.
  std::shared_ptr<PluginLibrary> load(const std::filesystem::path& file);
  // The first `seer-plugin-<name>.so` on the search path. Throws PluginLoadError listing the
  // directories searched when there is none.
  std::shared_ptr<PluginLibrary> load_by_name(std::string_view name);
  // Every plugin file on the search path (the first of each name), loaded or with its error.
  std::vector<DiscoveredPlugin> discover();

 private:
  std::vector<std::filesystem::path> search_path_;
};

}  // namespace seer
