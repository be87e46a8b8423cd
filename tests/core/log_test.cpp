#include <seer/log.hpp>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

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

TEST(Log, JsonFormatWritesOneParsableObjectPerLine) {
  LogSettings settings;
  settings.format = LogFormat::json;
  configure_logging(settings);
  auto log = logger("log-test-json");
  ::testing::internal::CaptureStderr();
  log->warn("camera \"front\" lost\nretrying");
  log->flush();
  const std::string output = ::testing::internal::GetCapturedStderr();
  configure_logging({});
  ASSERT_FALSE(output.empty());
  EXPECT_EQ(output.back(), '\n');
  EXPECT_EQ(output.find('\n'), output.size() - 1) << "one line, the message's newline escaped";
  const auto line = boost::json::parse(output).as_object();
  EXPECT_EQ(line.at("level").as_string(), "warning");
  EXPECT_EQ(line.at("logger").as_string(), "log-test-json");
  EXPECT_EQ(line.at("message").as_string(), "camera \"front\" lost\nretrying");
  EXPECT_GT(line.at("time_ms").as_int64(), 0);
}

}  // namespace
}  // namespace seer
