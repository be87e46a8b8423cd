#include <seer/host/runtime_config.hpp>

#include <gtest/gtest.h>

namespace seer {
namespace {

RuntimeConfig read(const std::string& yaml, std::vector<ConfigDiagnostic>& diagnostics) {
  return read_runtime_config(ConfigNode::load_string(yaml, "seer.yaml"), diagnostics);
}

TEST(RuntimeConfig, ReadsTheSeerSectionAndPluginInstances) {
  std::vector<ConfigDiagnostic> diagnostics;
  const auto config = read(
      "seer:\n"
      "  threads: 3\n"
      "  shutdown_deadline: 1500ms\n"
      "  plugin_path: [/opt/seer/plugins]\n"
      "  log:\n    level: debug\n    format: json\n    levels: {bus: warning}\n"
      "plugins:\n"
      "  clock: {}\n"
      "  front_door:\n    plugin: camera\n    depends_on: [clock]\n    log_level: trace\n"
      "  spare:\n    plugin: camera\n    enabled: false\n",
      diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_EQ(config.threads, 3u);
  EXPECT_EQ(config.shutdown_deadline, std::chrono::milliseconds(1500));
  EXPECT_EQ(config.plugin_path, std::vector<std::filesystem::path>{"/opt/seer/plugins"});
  EXPECT_EQ(config.log.level, spdlog::level::debug);
  EXPECT_EQ(config.log.format, LogFormat::json);
  EXPECT_EQ(config.log.levels.at("bus"), spdlog::level::warn);
  EXPECT_EQ(config.log.levels.at("front_door"), spdlog::level::trace);
  ASSERT_EQ(config.plugins.size(), 3u);
  EXPECT_EQ(config.plugins[0].plugin, "clock");
  EXPECT_EQ(config.plugins[1].instance, "front_door");
  EXPECT_EQ(config.plugins[1].plugin, "camera");
  EXPECT_EQ(config.plugins[1].depends_on, std::vector<std::string>{"clock"});
  EXPECT_FALSE(config.plugins[2].enabled);
}

TEST(RuntimeConfig, DefaultsWhenTheSeerSectionIsAbsent) {
  std::vector<ConfigDiagnostic> diagnostics;
  const auto config = read("plugins:\n  clock:\n", diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_GE(config.threads, 2u);
  EXPECT_EQ(config.shutdown_deadline, std::chrono::seconds(10));
  EXPECT_EQ(config.log.level, spdlog::level::info);
  ASSERT_EQ(config.plugins.size(), 1u);
  EXPECT_TRUE(config.plugins[0].enabled);
}

TEST(RuntimeConfig, ValidatesTheSeerSection) {
  std::vector<ConfigDiagnostic> diagnostics;
  (void)read("seer:\n  thread: 4\n  log:\n    format: xml\n", diagnostics);
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_EQ(diagnostics[0].severity, ConfigDiagnostic::Severity::warning);
  EXPECT_EQ(diagnostics[0].key_path, "seer.thread");
  EXPECT_NE(diagnostics[0].message.find("did you mean 'threads'?"), std::string::npos);
  EXPECT_EQ(diagnostics[1].severity, ConfigDiagnostic::Severity::error);
  EXPECT_EQ(diagnostics[1].key_path, "seer.log.format");
}

TEST(RuntimeConfig, RejectsAnUnknownLogLevelAtItsLocation) {
  std::vector<ConfigDiagnostic> diagnostics;
  try {
    (void)read("seer:\n  log:\n    levels: {bus: loud}\n", diagnostics);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.location().line, 3);
    EXPECT_EQ(error.key_path(), "seer.log.levels.bus");
  }
}

}  // namespace
}  // namespace seer
