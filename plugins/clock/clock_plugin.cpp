#include "clock_plugin.hpp"

#include <seer/executor.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/system_timer.hpp>
#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <stdexcept>

namespace seer::clock {
namespace {

namespace chrono = std::chrono;

// How long stop() waits for running and cancelled handlers before giving up.
constexpr chrono::seconds kStopWait{2};
// Upper bound on schedule firings counted as missed after one stall.
constexpr std::uint64_t kMaxCountedMisses = 100'000;

// ---- settings -----------------------------------------------------------------------------

bool is_schedule_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// YAML 1.2 core-schema typing of a plain scalar: booleans, integers, decimals, else text.
boost::json::value scalar_to_json(const std::string& text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  const char* begin = text.data();
  const char* end = begin + text.size();
  const char* digits = begin + ((text.starts_with('-') || text.starts_with('+')) ? 1 : 0);
  const bool numeric = digits < end && (std::isdigit(static_cast<unsigned char>(*digits)) != 0 ||
                                        (*digits == '.' && digits + 1 < end));
  if (!numeric) return boost::json::string(text);
  const char* number = *begin == '+' ? begin + 1 : begin;
  std::int64_t integer = 0;
  if (auto [at, error] = std::from_chars(number, end, integer); error == std::errc() && at == end) {
    return integer;
  }
  double decimal = 0;
  if (auto [at, error] = std::from_chars(number, end, decimal); error == std::errc() && at == end) {
    return decimal;
  }
  return boost::json::string(text);
}

boost::json::value config_to_json(const ConfigNode& node) {
  if (!node.defined() || node.is_null()) return nullptr;
  if (node.is_map()) {
    boost::json::object object;
    for (const auto& [key, value] : node.entries()) object[key] = config_to_json(value);
    return object;
  }
  if (node.is_sequence()) {
    boost::json::array array;
    for (const ConfigNode& item : node.items()) array.push_back(config_to_json(item));
    return array;
  }
  return scalar_to_json(node.as_string());
}

ScheduleSettings read_schedule(const ConfigNode& item, std::set<std::string>& seen_names) {
  if (!item.is_map()) throw item.error("expected a schedule: a map with 'name' and 'cron'");

  const ConfigNode name_node = item["name"];
  if (!name_node.defined()) throw item.error("schedule has no 'name'");
  std::string name = name_node.as_string();
  if (!is_schedule_name(name)) {
    throw name_node.error("schedule name '" + name +
                          "' may only hold lowercase letters, digits, '_' and '-'");
  }
  if (!seen_names.insert(name).second) {
    throw name_node.error("a schedule named '" + name + "' is already defined");
  }

  const ConfigNode cron_node = item["cron"];
  if (!cron_node.defined()) throw item.error("schedule '" + name + "' has no 'cron'");
  const std::string cron_text = cron_node.as_string();
  std::optional<CronExpression> cron;
  try {
    cron = CronExpression::parse(cron_text);
  } catch (const std::invalid_argument& invalid) {
    throw cron_node.error("invalid cron expression '" + cron_text + "': " + invalid.what());
  }

  boost::json::object payload;
  const ConfigNode payload_node = item["payload"];
  if (payload_node.defined() && !payload_node.is_null()) {
    if (!payload_node.is_map()) throw payload_node.error("payload must be a map");
    payload = config_to_json(payload_node).as_object();
  }
  return ScheduleSettings{std::move(name), std::move(*cron), std::move(payload)};
}

// ---- event payloads -----------------------------------------------------------------------

std::string format_duration(Duration duration) {
  const auto ms = duration.count();
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1'000 == 0) return std::to_string(ms / 1'000) + "s";
  return std::to_string(ms) + "ms";
}

std::int64_t unix_ms(SystemTime time) {
  return chrono::duration_cast<chrono::milliseconds>(time.time_since_epoch()).count();
}

// "2024-05-01T12:00:00.250Z"
std::string iso_utc(SystemTime time) {
  const auto millis = chrono::floor<chrono::milliseconds>(time);
  const CivilTime civil = to_civil(millis, CronZone::utc);
  const auto fraction = (millis - chrono::floor<chrono::seconds>(millis)).count();
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", civil.year,
                civil.month, civil.day, civil.hour, civil.minute, civil.second,
                static_cast<int>(fraction));
  return buffer;
}

boost::json::object tick_payload(std::uint64_t seq, std::uint64_t missed, SystemTime now) {
  return {{"seq", seq}, {"time", iso_utc(now)}, {"unix_ms", unix_ms(now)}, {"missed", missed}};
}

boost::json::object schedule_payload(const ScheduleSettings& schedule, SystemTime due,
                                     std::uint64_t missed) {
  return {{"name", schedule.name},   {"cron", schedule.cron.text()}, {"time", iso_utc(due)},
          {"unix_ms", unix_ms(due)}, {"payload", schedule.payload},  {"missed", missed}};
}

}  // namespace

// ---- timers -------------------------------------------------------------------------------

// The running timers. Every handler holds a reference, so a late (cancelled) handler never
// touches freed memory; stop() waits until none is pending or running.
class ClockTimers : public std::enable_shared_from_this<ClockTimers> {
 public:
  ClockTimers(const ClockSettings& settings, PluginContext& context)
      : settings_(settings), context_(context), tick_timer_(context.executor().context()) {
    schedule_timers_.reserve(settings_.schedules.size());
    for (std::size_t i = 0; i < settings_.schedules.size(); ++i) {
      schedule_timers_.emplace_back(context.executor().context());
    }
  }

  void start() {
    std::lock_guard lock(mutex_);
    if (settings_.tick_interval.count() > 0) {
      tick_due_ = chrono::steady_clock::now() + settings_.tick_interval;
      arm_tick();
    }
    const SystemTime now = chrono::system_clock::now();
    for (std::size_t i = 0; i < schedule_timers_.size(); ++i) arm_schedule(i, now);
  }

  // Cancels the timers and waits (for a bounded time) until no handler is pending or running.
  void stop() {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    tick_timer_.cancel();
    for (auto& entry : schedule_timers_) entry.timer.cancel();
    if (!idle_.wait_for(lock, kStopWait, [this] { return outstanding_ == 0; })) {
      // Only possible when the executor's threads are all busy; the handlers that run later
      // see stopping_ and return without touching the context.
      context_.log().warn("clock: {} timer handlers still pending after {}s", outstanding_,
                          kStopWait.count());
    }
  }

 private:
  struct ScheduleTimer {
    explicit ScheduleTimer(boost::asio::io_context& io) : timer(io) {}
    boost::asio::system_timer timer;
    SystemTime due;
  };

  // Timer calls happen under mutex_: asio timers are not safe for concurrent use.
  void arm_tick() {
    tick_timer_.expires_at(tick_due_);
    ++outstanding_;
    tick_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      self->on_tick(error);
    });
  }

  void arm_schedule(std::size_t index, SystemTime after) {
    const ScheduleSettings& schedule = settings_.schedules[index];
    const std::optional<SystemTime> due = next_fire_time(schedule.cron, after, settings_.zone);
    if (!due) {
      context_.log().warn("schedule '{}' ({}) never fires again", schedule.name,
                          schedule.cron.text());
      return;
    }
    ScheduleTimer& entry = schedule_timers_[index];
    entry.due = *due;
    entry.timer.expires_at(*due);
    ++outstanding_;
    entry.timer.async_wait(
        [self = shared_from_this(), index](const boost::system::error_code& error) {
          self->on_schedule(index, error);
        });
  }

  // Called under mutex_ when a handler is done: stop() may be waiting for the last one.
  void finish_handler() {
    if (--outstanding_ == 0) idle_.notify_all();
  }

  bool should_run(const boost::system::error_code& error, std::string_view what) {
    if (stopping_ || error == boost::asio::error::operation_aborted) return false;
    if (error) {
      context_.log().error("{} timer failed: {}", what, error.message());
      return false;
    }
    return true;
  }

  void on_tick(const boost::system::error_code& error) {
    std::unique_lock lock(mutex_);
    if (!should_run(error, "tick")) {
      finish_handler();
      return;
    }

    // Deadlines advance from the previous deadline, never from now, so ticks do not drift;
    // after a stall, whole intervals that went by are skipped and reported as missed.
    const Duration interval = settings_.tick_interval;
    const auto late = chrono::steady_clock::now() - tick_due_;
    const std::uint64_t missed = late >= interval ? static_cast<std::uint64_t>(late / interval) : 0;
    tick_due_ += interval * static_cast<Duration::rep>(missed + 1);
    const std::uint64_t seq = ++tick_seq_;

    lock.unlock();
    publish("clock/tick", tick_payload(seq, missed, chrono::system_clock::now()));
    lock.lock();
    // Re-armed only after publishing: ticks stay in order even when a publish blocks.
    if (!stopping_) arm_tick();
    finish_handler();
  }

  void on_schedule(std::size_t index, const boost::system::error_code& error) {
    std::unique_lock lock(mutex_);
    if (!should_run(error, "schedule")) {
      finish_handler();
      return;
    }

    const ScheduleSettings& schedule = settings_.schedules[index];
    // After a stall, only the latest firing that is due gets published.
    const SystemTime now = chrono::system_clock::now();
    SystemTime due = schedule_timers_[index].due;
    std::uint64_t missed = 0;
    for (auto later = next_fire_time(schedule.cron, due, settings_.zone);
         later && *later <= now && missed < kMaxCountedMisses;
         later = next_fire_time(schedule.cron, due, settings_.zone)) {
      due = *later;
      ++missed;
    }

    lock.unlock();
    publish("clock/schedule/" + schedule.name, schedule_payload(schedule, due, missed));
    lock.lock();
    if (!stopping_) arm_schedule(index, std::max(due, chrono::system_clock::now()));
    finish_handler();
  }

  // Handlers must not throw: an exception would escape io_context::run().
  void publish(const std::string& topic, boost::json::object payload) {
    try {
      context_.publish(topic, std::move(payload));
    } catch (const std::exception& failure) {
      context_.log().error("cannot publish {}: {}", topic, failure.what());
    }
  }

  const ClockSettings settings_;
  PluginContext& context_;

  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t outstanding_ = 0;  // handlers armed or running
  bool stopping_ = false;

  boost::asio::steady_timer tick_timer_;
  chrono::steady_clock::time_point tick_due_;
  std::uint64_t tick_seq_ = 0;
  std::vector<ScheduleTimer> schedule_timers_;
};

// ---- settings -----------------------------------------------------------------------------

ConfigSchema clock_config_schema() {
  ConfigSchema schedule;
  schedule.required("name", ConfigType::string,
                    "names the event topic clock/schedule/<name>; [a-z0-9_-]+");
  schedule.required("cron", ConfigType::string,
                    "5-field cron expression (minute hour day-of-month month day-of-week) "
                    "or @hourly, @daily, @weekly, @monthly, @yearly");
  schedule.optional("payload", ConfigType::map, "copied into every event of this schedule");

  ConfigSchema schema;
  schema.optional("tick_interval", ConfigType::duration,
                  "time between clock/tick events; at least 10ms, 0 turns ticks off", "1s");
  schema.optional("ticks", ConfigType::boolean, "publish clock/tick events", "true");
  schema.choice("timezone", {"local", "utc"}, "the clock that cron schedules are read in", "local");
  schema.list_of("schedules", std::move(schedule),
                 "cron schedules, each publishing clock/schedule/<name>");
  return schema;
}

ClockSettings read_clock_settings(const ConfigNode& config) {
  ClockSettings settings;

  const ConfigNode interval = config["tick_interval"];
  settings.tick_interval = interval.duration_or(settings.tick_interval);
  if (settings.tick_interval.count() < 0) {
    throw interval.error("tick_interval must not be negative");
  }
  if (settings.tick_interval.count() > 0 && settings.tick_interval < kMinimumTickInterval) {
    throw interval.error("tick_interval " + format_duration(settings.tick_interval) +
                         " is below the minimum of 10ms (0 or `ticks: false` turns ticks off)");
  }
  if (!config["ticks"].bool_or(true)) settings.tick_interval = Duration::zero();

  const ConfigNode zone = config["timezone"];
  try {
    settings.zone = cron_zone_from_string(zone.string_or("local"));
  } catch (const std::invalid_argument& invalid) {
    throw zone.error(invalid.what());
  }

  const ConfigNode schedules = config["schedules"];
  if (schedules.defined() && !schedules.is_null()) {
    if (!schedules.is_sequence()) throw schedules.error("schedules must be a list");
    std::set<std::string> names;
    for (const ConfigNode& item : schedules.items()) {
      settings.schedules.push_back(read_schedule(item, names));
    }
  }
  return settings;
}

std::string describe(const ClockSettings& settings) {
  std::string text = settings.tick_interval.count() > 0
                         ? "1 tick/" + format_duration(settings.tick_interval)
                         : std::string("no ticks");
  const std::size_t count = settings.schedules.size();
  text += ", " + std::to_string(count) + (count == 1 ? " schedule" : " schedules");
  return text;
}

// ---- the plugin ---------------------------------------------------------------------------

ClockPlugin::ClockPlugin() = default;

ClockPlugin::~ClockPlugin() {
  try {
    stop();
  } catch (...) {
    // Destructors must not throw; stop() only fails on a broken mutex.
  }
}

ConfigSchema ClockPlugin::config_schema() const { return clock_config_schema(); }

void ClockPlugin::configure(const ConfigNode& config) { settings_ = read_clock_settings(config); }

void ClockPlugin::start(PluginContext& context) {
  if (timers_) throw std::logic_error("clock plugin started twice");
  timers_ = std::make_shared<ClockTimers>(settings_, context);
  timers_->start();
  const std::string reason = describe(settings_);
  context.log().info("clock: {} ({} time)", reason, to_string(settings_.zone));
  context.health().ready(reason);
}

void ClockPlugin::stop() {
  if (!timers_) return;
  timers_->stop();
  timers_.reset();
}

}  // namespace seer::clock
