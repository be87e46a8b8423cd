// The `seer` command as a user runs it: version, plugin listing, config checks, run/stop.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "child_process.hpp"

namespace seer::test {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

const std::string kSeer = SEER_BINARY;
const std::string kConfigs = std::string(SEER_TEST_DATA_DIR) + "/cli/configs/";
const std::string kDefaultConfig = std::string(SEER_SOURCE_DIR) + "/configs/default.yaml";
const std::string kTestPluginPath = std::string("SEER_TEST_PLUGIN_DIR=") + SEER_TEST_PLUGIN_DIR;

TEST(SeerCli, PrintsItsVersion) {
  const auto result = run_to_completion({kSeer, "--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("seer 0.1.0 (plugin ABI 2)"));
}

TEST(SeerCli, PluginsListsTheClockWithItsVersionAndAbi) {
  const auto result = run_to_completion({kSeer, "plugins", "--verbose"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("clock 1.0.0  (ABI 2, "));
  EXPECT_THAT(result.out, HasSubstr("seer-plugin-clock.so"));
  EXPECT_THAT(result.out, HasSubstr("tick_interval (duration"));
}

// configs/default.yaml runs the emotion plugin, which exists only in builds with libtorch.
#ifdef SEER_TEST_WITH_TORCH
#define SKIP_WITHOUT_TORCH()
#else
#define SKIP_WITHOUT_TORCH() GTEST_SKIP() << "configs/default.yaml needs the emotion plugin"
#endif

TEST(SeerCli, ConfigCheckAcceptsTheDefaultConfiguration) {
  SKIP_WITHOUT_TORCH();
  const auto result = run_to_completion({kSeer, "config", "check", kDefaultConfig});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("default.yaml: OK"));
}

TEST(SeerCli, ConfigCheckNamesFileLineColumnAndKey) {
  const auto result = run_to_completion({kSeer, "config", "check", kConfigs + "broken_key.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr(kConfigs + "broken_key.yaml:2:22: error: key "
                                               "'seer.shutdown_deadline': "));
  EXPECT_THAT(result.err, HasSubstr("1 error(s)"));
}

TEST(SeerCli, ConfigCheckReportsYamlSyntaxErrors) {
  const auto result =
      run_to_completion({kSeer, "config", "check", kConfigs + "broken_syntax.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr(kConfigs + "broken_syntax.yaml:"));
  EXPECT_THAT(result.err, HasSubstr("key 'plugins.clock.tick_interval'"));
}

TEST(SeerCli, ConfigCheckOfAMissingFileFails) {
  const auto result = run_to_completion({kSeer, "config", "check", kConfigs + "absent.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("absent.yaml"));
}

class SeerRun : public ::testing::TestWithParam<int> {};

TEST_P(SeerRun, RunsTheDefaultConfigurationUntilASignalThenExitsZero) {
  SKIP_WITHOUT_TORCH();
  ChildProcess seer({kSeer, "run", "--config", kDefaultConfig});
  ASSERT_TRUE(seer.wait_for_output("stop it with Ctrl-C", 30s)) << seer.err();
  EXPECT_THAT(seer.err(), HasSubstr("clock: ready"));
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(seer.wait(0ms).has_value()) << "it stays up";
  seer.signal(GetParam());
  const auto code = seer.wait(12s);
  ASSERT_TRUE(code.has_value()) << "did not stop within the 10 s deadline";
  EXPECT_EQ(*code, 0) << seer.err();
  EXPECT_THAT(seer.err(), HasSubstr("stopped cleanly"));
}

INSTANTIATE_TEST_SUITE_P(Signals, SeerRun, ::testing::Values(SIGINT, SIGTERM));

TEST(SeerCli, RunExitsNonZeroWhenAPluginOverrunsTheShutdownDeadline) {
  ChildProcess seer({kSeer, "run", "--config", kConfigs + "slow_stop.yaml"}, {kTestPluginPath});
  ASSERT_TRUE(seer.wait_for_output("stop it with Ctrl-C", 30s)) << seer.err();
  const auto begin = std::chrono::steady_clock::now();
  seer.signal(SIGINT);
  const auto code = seer.wait(10s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_THAT(seer.err(), HasSubstr("shutdown deadline of 300 ms passed while stopping 'slow'"));
}

TEST(SeerCli, RunRefusesABrokenConfiguration) {
  const auto result = run_to_completion({kSeer, "run", "--config", kConfigs + "broken_key.yaml"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("broken_key.yaml:2:22: error:"));
}

}  // namespace
}  // namespace seer::test
