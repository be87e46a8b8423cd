#pragma once
// The clock plugin: publishes periodic ticks (`clock/tick`) and cron schedules
// (`clock/schedule/<name>`) on the bus, for agents to use as periodic triggers.

#include "cron_expression.hpp"

#include <seer/config.hpp>
#include <seer/plugin.hpp>

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <vector>

namespace seer::clock {

struct ScheduleSettings {
  std::string name;
  CronExpression cron;
  boost::json::object payload;  // copied into every event of this schedule
};

struct ClockSettings {
  Duration tick_interval = std::chrono::seconds(1);  // zero: no ticks
  CronZone zone = CronZone::local;
  std::vector<ScheduleSettings> schedules;
};

inline constexpr Duration kMinimumTickInterval = std::chrono::milliseconds(10);

ConfigSchema clock_config_schema();
// Reads a clock section; throws ConfigError located at the offending node.
ClockSettings read_clock_settings(const ConfigNode& config);
// The health reason: "1 tick/1s, 2 schedules".
std::string describe(const ClockSettings& settings);

class ClockTimers;

class ClockPlugin final : public Plugin {
 public:
  ClockPlugin();
  ~ClockPlugin() override;
  ClockPlugin(const ClockPlugin&) = delete;
  ClockPlugin& operator=(const ClockPlugin&) = delete;

  ConfigSchema config_schema() const override;
  void configure(const ConfigNode& config) override;
  void start(PluginContext& context) override;
  void stop() override;

  const ClockSettings& settings() const { return settings_; }

 private:
  ClockSettings settings_;
  std::shared_ptr<ClockTimers> timers_;
};

}  // namespace seer::clock
