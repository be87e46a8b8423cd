#include <seer/host/plugin_loader.hpp>
#include <seer/log.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

namespace seer {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kFilePrefix = "seer-plugin-";
constexpr std::string_view kFileSuffix = ".so";

std::string last_dl_error() {
  const char* error = dlerror();
  return error ? error : "unknown error";
}

bool is_plugin_file(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.size() > kFilePrefix.size() + kFileSuffix.size() && name.starts_with(kFilePrefix) &&
         name.ends_with(kFileSuffix);
}

std::string plugin_name_of(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.substr(kFilePrefix.size(), name.size() - kFilePrefix.size() - kFileSuffix.size());
}

// <prefix>/lib/seer/plugins for an executable in <prefix>/bin: found from the running
// executable so that an installed tree works wherever it was installed, with no variable set.
fs::path plugins_beside_executable() {
  std::error_code error;
  const fs::path executable = fs::read_symlink("/proc/self/exe", error);
  if (error) return {};
  return (executable.parent_path() / SEER_PLUGIN_DIR_FROM_BINDIR).lexically_normal();
}

}  // namespace

PluginLibrary::PluginLibrary(fs::path file, void* handle, const SeerPluginDescriptor* descriptor)
    : file_(std::move(file)), handle_(handle), descriptor_(descriptor) {}

PluginLibrary::~PluginLibrary() {
  logger("loader")->debug("unloading {}", file_.string());
  dlclose(handle_);
}

std::shared_ptr<Plugin> PluginLibrary::create() {
  const char* error = nullptr;
  Plugin* plugin = descriptor_->create(&error);
  if (!plugin) {
    throw PluginLoadError("plugin '" + name() + "' (" + file_.string() +
                          ") failed to construct: " + (error ? error : "no reason given"));
  }
  // The deleter runs the library's own destroy and holds the library until after it.
  return std::shared_ptr<Plugin>(plugin, [library = shared_from_this()](Plugin* created) {
    library->descriptor_->destroy(created);
  });
}

PluginLoader::PluginLoader(std::vector<fs::path> search_path)
    : search_path_(std::move(search_path)) {}

std::vector<fs::path> PluginLoader::default_search_path(const std::vector<fs::path>& configured) {
  std::vector<fs::path> path = configured;
  if (const char* env = std::getenv("SEER_PLUGIN_PATH"); env && *env) {
    std::stringstream entries(env);
    for (std::string entry; std::getline(entries, entry, ':');) {
      if (!entry.empty()) path.emplace_back(entry);
    }
  }
  // An installed seer never looks into the build tree it was built in.
  const fs::path installed = plugins_beside_executable();
  std::error_code error;
  if (!installed.empty() && fs::is_directory(installed, error)) {
    path.push_back(installed);
  } else {
    path.emplace_back(SEER_PLUGIN_BUILD_DIR);
  }
  return path;
}

std::string PluginLoader::file_name_for(std::string_view plugin_name) {
  return std::string(kFilePrefix) + std::string(plugin_name) + std::string(kFileSuffix);
}

std::shared_ptr<PluginLibrary> PluginLoader::load(const fs::path& file) {
  dlerror();
  // RTLD_LOCAL: two plugins may use the same symbol names without clashing.
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    throw PluginLoadError("cannot load plugin " + file.string() + ": " + last_dl_error());
  }
  auto entry = reinterpret_cast<SeerPluginEntry>(dlsym(handle, SEER_PLUGIN_ENTRY_SYMBOL));
  if (!entry) {
    const std::string reason = last_dl_error();
    dlclose(handle);
    throw PluginLoadError(file.string() + " is not a seer plugin: it does not export " +
                          SEER_PLUGIN_ENTRY_SYMBOL + " (" + reason + ")");
  }
  const SeerPluginDescriptor* descriptor = entry();
  if (!descriptor) {
    dlclose(handle);
    throw PluginLoadError(file.string() + ": " + SEER_PLUGIN_ENTRY_SYMBOL + " returned null");
  }
  // Only abi_version may be read before it is checked.
  if (descriptor->abi_version != SEER_PLUGIN_ABI_VERSION) {
    const auto found = descriptor->abi_version;
    dlclose(handle);
    throw PluginLoadError(file.string() + " was built for plugin ABI version " +
                          std::to_string(found) + ", but this seer provides ABI version " +
                          std::to_string(SEER_PLUGIN_ABI_VERSION) +
                          ": rebuild the plugin against this SDK");
  }
  logger("loader")->debug("loaded {} ({} {})", file.string(), descriptor->name,
                          descriptor->version);
  return std::make_shared<PluginLibrary>(file, handle, descriptor);
}

std::shared_ptr<PluginLibrary> PluginLoader::load_by_name(std::string_view name) {
  const std::string file_name = file_name_for(name);
  std::string searched;
  for (const auto& directory : search_path_) {
    const fs::path candidate = directory / file_name;
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) {
      auto library = load(candidate);
      if (library->name() != name) {
        throw PluginLoadError(candidate.string() + " calls itself '" + library->name() +
                              "', expected '" + std::string(name) + "'");
      }
      return library;
    }
    searched += (searched.empty() ? "" : ", ") + directory.string();
  }
  throw PluginLoadError("no plugin named '" + std::string(name) + "': " + file_name +
                        " is in none of " + searched + " (set SEER_PLUGIN_PATH or " +
                        "seer.plugin_path to add a directory)");
}

std::vector<DiscoveredPlugin> PluginLoader::discover() {
  std::vector<DiscoveredPlugin> found;
  std::set<std::string> seen;
  for (const auto& directory : search_path_) {
    std::error_code error;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory, error)) {
      if (entry.is_regular_file(error) && is_plugin_file(entry.path())) files.push_back(entry);
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (!seen.insert(plugin_name_of(file)).second) continue;  // shadowed by an earlier dir
      DiscoveredPlugin plugin{file, nullptr, {}};
      try {
        plugin.library = load(file);
      } catch (const PluginLoadError& failure) {
        plugin.error = failure.what();
      }
      found.push_back(std::move(plugin));
    }
  }
  return found;
}

}  // namespace seer
