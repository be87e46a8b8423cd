#include <seer/executor.hpp>
#include <seer/host/plugin_loader.hpp>
#include <seer/log.hpp>

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "echo_service.hpp"

namespace seer {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

const fs::path kTestPlugins = SEER_TEST_PLUGIN_DIR;

bool is_loaded(const fs::path& file) {
  void* handle = dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle) dlclose(handle);
  return handle != nullptr;
}

PluginLoader test_loader() { return PluginLoader({kTestPlugins}); }

TEST(PluginLoader, LoadsAPluginByName) {
  auto library = test_loader().load_by_name("echo");
  EXPECT_EQ(library->name(), "echo");
  EXPECT_EQ(library->version(), "0.1.0");
  EXPECT_EQ(library->file(), kTestPlugins / "seer-plugin-echo.so");
  auto plugin = library->create();
  ASSERT_EQ(plugin->provided_services().size(), 1u);
  EXPECT_EQ(plugin->provided_services()[0].interface_id, "seer.test.echo/1");
}

TEST(PluginLoader, RefusesAnAbiMismatchNamingFileAndBothVersions) {
  const fs::path file = kTestPlugins / "seer-plugin-future-abi.so";
  try {
    (void)test_loader().load(file);
    FAIL();
  } catch (const PluginLoadError& error) {
    EXPECT_EQ(std::string(error.what()),
              file.string() + " was built for plugin ABI version 99, but this seer provides ABI " +
                  "version " + std::to_string(SEER_PLUGIN_ABI_VERSION) +
                  ": rebuild the plugin against this SDK");
  }
  EXPECT_FALSE(is_loaded(file)) << "a refused library is unloaded again";
}

TEST(PluginLoader, RefusesALibraryWithoutTheEntryPoint) {
  const fs::path file = kTestPlugins / "seer-plugin-no-entry.so";
  try {
    (void)test_loader().load(file);
    FAIL();
  } catch (const PluginLoadError& error) {
    EXPECT_THAT(error.what(), HasSubstr(file.string() + " is not a seer plugin: it does not "
                                                        "export seer_plugin_v1"));
  }
}

TEST(PluginLoader, RefusesAFileThatIsNotALibrary) {
  const fs::path file = fs::path(SEER_TEST_DATA_DIR) / "core" / "plugin_loader_test.cpp";
  EXPECT_THROW((void)test_loader().load(file), PluginLoadError);
}

TEST(PluginLoader, ReportsAConstructorThatThrows) {
  auto library = test_loader().load_by_name("throws-on-create");
  try {
    (void)library->create();
    FAIL();
  } catch (const PluginLoadError& error) {
    EXPECT_THAT(error.what(), HasSubstr("plugin 'throws-on-create'"));
    EXPECT_THAT(error.what(), HasSubstr("failed to construct: constructor refused"));
  }
}

TEST(PluginLoader, NamesTheDirectoriesSearchedForAMissingPlugin) {
  PluginLoader loader({"/nonexistent/one", kTestPlugins});
  try {
    (void)loader.load_by_name("webcam");
    FAIL();
  } catch (const PluginLoadError& error) {
    EXPECT_EQ(std::string(error.what()),
              "no plugin named 'webcam': seer-plugin-webcam.so is in none of /nonexistent/one, " +
                  kTestPlugins.string() +
                  " (set SEER_PLUGIN_PATH or seer.plugin_path to add a directory)");
  }
}

TEST(PluginLoader, DiscoversEveryPluginFileWithItsErrors) {
  auto found = test_loader().discover();
  std::map<std::string, std::string> by_file;
  for (const auto& plugin : found) {
    by_file[plugin.file.filename().string()] = plugin.library ? "ok" : plugin.error;
  }
  EXPECT_EQ(by_file["seer-plugin-echo.so"], "ok");
  EXPECT_EQ(by_file["seer-plugin-slow-stop.so"], "ok");
  EXPECT_THAT(by_file["seer-plugin-future-abi.so"], HasSubstr("ABI version 99"));
  EXPECT_THAT(by_file["seer-plugin-no-entry.so"], HasSubstr("is not a seer plugin"));
}

TEST(PluginLoader, SearchPathPutsConfiguredThenEnvironmentThenBuiltIn) {
  setenv("SEER_PLUGIN_PATH", "/from/env/a:/from/env/b", 1);
  const auto path = PluginLoader::default_search_path({"/from/config"});
  unsetenv("SEER_PLUGIN_PATH");
  ASSERT_EQ(path.size(), 4u);
  EXPECT_EQ(path[0], "/from/config");
  EXPECT_EQ(path[1], "/from/env/a");
  EXPECT_EQ(path[2], "/from/env/b");
  // This test runs from the build tree: no lib/seer/plugins beside it.
  EXPECT_EQ(path[3], fs::path(SEER_PLUGIN_BUILD_DIR));
}

TEST(PluginLoader, NeverUnloadsWhileObjectsItCreatedAreAlive) {
  const fs::path file = kTestPlugins / "seer-plugin-echo.so";
  ASSERT_FALSE(is_loaded(file));
  Executor executor(1);
  Bus bus(executor);
  ServiceRegistry registry;
  HealthReporter health;
  std::shared_ptr<test::Echo> service;
  {
    auto library = test_loader().load(file);
    auto plugin = library->create();
    library.reset();
    EXPECT_TRUE(is_loaded(file)) << "the plugin object holds its library";
    plugin->configure(ConfigNode::load_string("prefix: '> '", "test.yaml"));
    PluginContext context("echo", bus, registry, executor, logger("echo"), health,
                          std::shared_ptr<const void>(plugin));
    plugin->start(context);
    service = registry.get<test::Echo>("echo");
    plugin->stop();
    registry.remove_provider("echo");
  }
  EXPECT_TRUE(is_loaded(file)) << "a service object from the plugin is still alive";
  EXPECT_EQ(service->echo("hi"), "> hi");
  service.reset();
  EXPECT_FALSE(is_loaded(file)) << "unloaded once nothing from it is alive";
}

}  // namespace
}  // namespace seer
