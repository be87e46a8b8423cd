#include <seer/log.hpp>

#include <gtest/gtest.h>

namespace seer {
namespace {

TEST(Log, LevelsParseByName) {
  EXPECT_EQ(log_level_from_string("debug"), spdlog::level::debug);
  EXPECT_EQ(log_level_from_string("warning"), spdlog::level::warn);
  EXPECT_EQ(log_level_from_string("error"), spdlog::level::err);
  EXPECT_THROW(log_level_from_string("loud"), std::invalid_argument);
}

TEST(Log, PerLoggerLevelsApplyToExistingAndNewLoggers) {
  auto existing = logger("log-test-existing");
  LogSettings settings;
  settings.level = spdlog::level::warn;
  settings.levels["log-test-existing"] = spdlog::level::trace;
  settings.levels["log-test-new"] = spdlog::level::err;
  configure_logging(settings);
  EXPECT_EQ(existing->level(), spdlog::level::trace);
  EXPECT_EQ(logger("log-test-new")->level(), spdlog::level::err);
  EXPECT_EQ(logger("log-test-other")->level(), spdlog::level::warn);
  EXPECT_EQ(logger("log-test-existing").get(), existing.get()) << "one logger per name";
  configure_logging({});
}

}  // namespace
}  // namespace seer
