// The clock plugin driven directly (no dlopen) with a real executor and bus. Timing checks
// wait generously and never count events over wall time: CI machines are small and busy.

#include "clock/clock_plugin.hpp"

#include <seer/bus.hpp>
#include <seer/config.hpp>
#include <seer/executor.hpp>
#include <seer/health.hpp>
#include <seer/plugin.hpp>
#include <seer/service_registry.hpp>

#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include "event_collector.hpp"

namespace seer::clock {
namespace {

using namespace std::chrono_literals;

constexpr auto kPatience = 10s;  // how long to wait for something that should come quickly

ConfigNode yaml(std::string_view text) { return ConfigNode::load_string(text, "clock-test.yaml"); }

// Configuring that must fail; returns the error.
ConfigError config_error(std::string_view text) {
  ClockPlugin plugin;
  try {
    plugin.configure(yaml(text));
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "configure() accepted:\n" << text;
  return ConfigError({}, {}, "no error");
}

class ClockPluginTest : public ::testing::Test {
 protected:
  void start(std::string_view config) {
    plugin.configure(yaml(config));
    plugin.start(context);
  }

  Executor executor{2};
  Bus bus{executor};
  ServiceRegistry registry;
  HealthReporter health;
  PluginContext context{
      "clock", bus,    registry, executor, std::make_shared<spdlog::logger>("clock-test"),
      health,  nullptr};
  test::EventCollector log;
  Subscription subscription = bus.subscribe("clock/#", log.handler());
  // Last, so it stops before anything it uses goes away.
  ClockPlugin plugin;
};

// ---- ticks --------------------------------------------------------------------------------

TEST_F(ClockPluginTest, TicksArriveInOrderWithTheirFields) {
  const auto before = std::chrono::system_clock::now();
  start("tick_interval: 20ms\n");
  ASSERT_TRUE(log.wait_for(5)) << "only " << log.size() << " ticks";
  plugin.stop();

  const std::vector<EventPtr> events = log.events();
  std::int64_t previous_seq = 0;
  for (const EventPtr& event : events) {
    EXPECT_EQ(event->topic, "clock/tick");
    EXPECT_EQ(event->source, "clock");
    const boost::json::object& payload = event->payload.as_object();
    const std::int64_t seq = payload.at("seq").to_number<std::int64_t>();
    EXPECT_EQ(seq, previous_seq + 1) << "ticks are numbered 1, 2, 3, ... in publish order";
    previous_seq = seq;

    const std::string time(payload.at("time").as_string());
    ASSERT_EQ(time.size(), 24u) << time;  // 2024-05-01T12:00:00.250Z
    EXPECT_EQ(time[10], 'T');
    EXPECT_EQ(time.back(), 'Z');
    const std::int64_t unix_ms = payload.at("unix_ms").to_number<std::int64_t>();
    const std::int64_t before_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(before.time_since_epoch()).count();
    EXPECT_GE(unix_ms, before_ms);
    EXPECT_LT(unix_ms, before_ms + 600'000);
    EXPECT_GE(payload.at("missed").to_number<std::int64_t>(), 0);
  }
}

TEST_F(ClockPluginTest, TicksNeverComeBeforeTheirDeadline) {
  // Deadlines are start + n * interval (n counting missed ticks too), so the n-th deadline's
  // tick cannot be published before n intervals have passed.
  const std::int64_t before_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
  start("tick_interval: 20ms\n");
  ASSERT_TRUE(log.wait_for(5));
  plugin.stop();
  std::int64_t deadlines = 0;
  for (const EventPtr& event : log.events()) {
    const boost::json::object& payload = event->payload.as_object();
    deadlines += 1 + payload.at("missed").to_number<std::int64_t>();
    const std::int64_t elapsed_ms = payload.at("unix_ms").to_number<std::int64_t>() - before_ms;
    EXPECT_GE(elapsed_ms + 2, deadlines * 20) << "tick " << payload.at("seq");
  }
}

TEST_F(ClockPluginTest, StallIsReportedAsMissedTicks) {
  start("tick_interval: 20ms\n");
  ASSERT_TRUE(log.wait_for(1));
  // Occupy both executor threads for far longer than an interval.
  std::latch both_blocked(2);
  for (int i = 0; i < 2; ++i) {
    boost::asio::post(executor.context(), [&both_blocked] {
      both_blocked.arrive_and_wait();
      std::this_thread::sleep_for(300ms);
    });
  }
  const auto has_missed = [this] {
    for (const EventPtr& event : log.events()) {
      if (event->payload.at("missed").to_number<std::int64_t>() > 0) return true;
    }
    return false;
  };
  const auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!has_missed() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(has_missed());
  plugin.stop();
}

TEST_F(ClockPluginTest, StopEndsTicksPromptly) {
  start("tick_interval: 20ms\n");
  ASSERT_TRUE(log.wait_for(2));

  const auto stop_began = std::chrono::steady_clock::now();
  plugin.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_began, 1500ms);

  // Events published before stop() returned may still be in delivery; after that, silence.
  std::this_thread::sleep_for(100ms);
  const std::size_t after_stop = log.size();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(log.size(), after_stop);
}

TEST_F(ClockPluginTest, StopWithoutStartAndTwiceIsHarmless) {
  EXPECT_NO_THROW(plugin.stop());
  start("tick_interval: 20ms\n");
  EXPECT_NO_THROW(plugin.stop());
  EXPECT_NO_THROW(plugin.stop());
}

TEST_F(ClockPluginTest, StartingTwiceIsAnError) {
  start("tick_interval: 1s\n");
  EXPECT_THROW(plugin.start(context), std::logic_error);
}

TEST_F(ClockPluginTest, TicksCanBeTurnedOff) {
  start("ticks: false\ntick_interval: 20ms\n");
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(health.current().reason, "no ticks, 0 schedules");
}

// ---- health -------------------------------------------------------------------------------

TEST_F(ClockPluginTest, ReadyAfterStartWithWhatItRuns) {
  start(R"(
tick_interval: 1s
schedules:
  - name: morning
    cron: "0 9 * * MON-FRI"
  - name: hourly
    cron: "@hourly"
)");
  EXPECT_EQ(health.current().state, HealthState::ready);
  EXPECT_EQ(health.current().reason, "1 tick/1s, 2 schedules");
}

TEST(ClockDescribe, NamesIntervalAndScheduleCount) {
  ClockSettings settings;
  settings.tick_interval = 250ms;
  EXPECT_EQ(describe(settings), "1 tick/250ms, 0 schedules");
  settings.tick_interval = 2min;
  settings.schedules.push_back({"a", CronExpression::parse("@daily"), {}});
  EXPECT_EQ(describe(settings), "1 tick/2m, 1 schedule");
  settings.tick_interval = Duration::zero();
  EXPECT_EQ(describe(settings), "no ticks, 1 schedule");
}

// ---- configuration ------------------------------------------------------------------------

TEST(ClockConfig, DefaultsAreOneSecondLocalNoSchedules) {
  const ClockSettings settings = read_clock_settings(yaml("{}"));
  EXPECT_EQ(settings.tick_interval, 1s);
  EXPECT_EQ(settings.zone, CronZone::local);
  EXPECT_TRUE(settings.schedules.empty());
}

TEST(ClockConfig, ZeroIntervalTurnsTicksOff) {
  EXPECT_EQ(read_clock_settings(yaml("tick_interval: 0\n")).tick_interval, Duration::zero());
}

TEST(ClockConfig, ReadsSchedulesWithPayloads) {
  const ClockSettings settings = read_clock_settings(yaml(R"(
timezone: utc
schedules:
  - name: kitchen-check_2
    cron: "*/5 8-20 * * *"
    payload:
      room: kitchen
      count: 3
      ratio: 0.5
      urgent: true
      nothing: null
      tags: [a, b]
      nested: {x: -1}
  - name: plain
    cron: "@weekly"
)"));
  EXPECT_EQ(settings.zone, CronZone::utc);
  ASSERT_EQ(settings.schedules.size(), 2u);
  EXPECT_EQ(settings.schedules[0].name, "kitchen-check_2");
  EXPECT_EQ(settings.schedules[0].cron.text(), "*/5 8-20 * * *");
  EXPECT_EQ(boost::json::value(settings.schedules[0].payload),
            boost::json::parse(R"({"room": "kitchen", "count": 3, "ratio": 0.5, "urgent": true,
                                   "nothing": null, "tags": ["a", "b"], "nested": {"x": -1}})"));
  EXPECT_TRUE(settings.schedules[1].payload.empty());
}

TEST(ClockConfig, InvalidCronPointsAtTheCronNode) {
  const ConfigError error = config_error(R"(tick_interval: 20ms
schedules:
  - name: fine
    cron: "@daily"
  - name: broken
    cron: "61 * * * *"
)");
  const SourceLocation& at = error.location();
  EXPECT_EQ(at.file, "clock-test.yaml");
  EXPECT_EQ(at.line, 6);
  // The `cron:` key (column 5) or its value (column 11).
  EXPECT_TRUE(at.column == 5 || at.column == 11) << at.column;
  const std::string what = error.what();
  const std::string file_line_col =
      at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ":";
  EXPECT_EQ(what.rfind(file_line_col, 0), 0u) << what;
  EXPECT_NE(what.find("schedules[1].cron"), std::string::npos) << what;
  EXPECT_NE(what.find("minute field '61': value 61 is out of range 0-59"), std::string::npos)
      << what;
}

TEST(ClockConfig, OtherMistakesPointAtTheirNode) {
  struct Case {
    const char* yaml;
    int line;
    const char* message;
  };
  const Case cases[] = {
      {"tick_interval: 5ms\n", 1, "below the minimum of 10ms"},
      {"tick_interval: -1s\n", 1, "tick_interval"},
      {"timezone: mars\n", 1, "unknown time zone 'mars'"},
      {"schedules: {a: 1}\n", 1, "schedules must be a list"},
      {"schedules:\n  - name: Big\n    cron: '@daily'\n", 2, "schedule name 'Big'"},
      {"schedules:\n  - name: a\n    cron: '@daily'\n  - name: a\n    cron: '@hourly'\n", 4,
       "already defined"},
      {"schedules:\n  - name: a\n", 2, "has no 'cron'"},
      {"schedules:\n  - cron: '@daily'\n", 2, "has no 'name'"},
      {"schedules:\n  - name: a\n    cron: '* * *'\n", 3, "expected 5 fields"},
      {"schedules:\n  - name: a\n    cron: '@daily'\n    payload: [1]\n", 4,
       "payload must be a map"},
  };
  for (const Case& c : cases) {
    const ConfigError error = config_error(c.yaml);
    const std::string what = error.what();
    EXPECT_EQ(error.location().line, c.line) << c.yaml << "\n" << what;
    EXPECT_NE(what.find(c.message), std::string::npos) << c.yaml << "\n" << what;
    EXPECT_NE(what.find("clock-test.yaml:"), std::string::npos) << what;
  }
}

TEST(ClockConfig, SchemaDescribesTheKeys) {
  const ConfigSchema schema = ClockPlugin().config_schema();
  const ConfigField* interval = schema.find("tick_interval");
  ASSERT_NE(interval, nullptr);
  EXPECT_EQ(interval->type, ConfigType::duration);
  EXPECT_EQ(interval->default_text, "1s");
  const ConfigField* zone = schema.find("timezone");
  ASSERT_NE(zone, nullptr);
  EXPECT_EQ(zone->choices, (std::vector<std::string>{"local", "utc"}));
  const ConfigField* schedules = schema.find("schedules");
  ASSERT_NE(schedules, nullptr);
  ASSERT_NE(schedules->nested, nullptr);
  ASSERT_NE(schedules->nested->find("cron"), nullptr);
  EXPECT_TRUE(schedules->nested->find("cron")->required);
  EXPECT_TRUE(schedules->nested->find("name")->required);
  EXPECT_TRUE(ClockPlugin().provided_services().empty());
}

TEST(ClockConfig, SchemaAcceptsAFullSection) {
  const ConfigNode section = yaml(R"(
tick_interval: 250ms
ticks: true
timezone: utc
schedules:
  - name: a
    cron: "0 9 * * *"
    payload: {b: 1}
)");
  for (const ConfigDiagnostic& diagnostic : ClockPlugin().config_schema().validate(section)) {
    ADD_FAILURE() << diagnostic.to_string();
  }
}

}  // namespace
}  // namespace seer::clock
