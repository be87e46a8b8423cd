#pragma once
// Standard 5-field cron expressions ("minute hour day-of-month month day-of-week") and the
// @macros, evaluated against wall-clock time in UTC or the process's local time zone.
//
// Independent of the seer SDK so it can be tested on its own. Calendar arithmetic works on
// CivilTime (a wall-clock reading without a zone); next_fire_time() maps it to instants.

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace seer::clock {

// A wall-clock reading: what a clock on the wall shows, with no time zone attached.
struct CivilTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  int hour = 0;
  int minute = 0;
  int second = 0;

  auto operator<=>(const CivilTime&) const = default;
};

std::string to_string(const CivilTime& time);  // "2024-02-29 13:05:00"

class CronExpression {
 public:
  // Throws std::invalid_argument naming the field, its text and what is wrong with it.
  static CronExpression parse(std::string_view text);

  // The first whole minute strictly after `time` that the expression matches; nullopt if
  // none comes within a century (parse() rejects the expressions that can never match).
  std::optional<CivilTime> next_after(const CivilTime& time) const;

  // True when the minute holding `time` matches (seconds are ignored).
  bool matches(const CivilTime& time) const;

  // The text as given to parse(), macros included.
  const std::string& text() const { return text_; }

 private:
  CronExpression() = default;
  bool matches_day(int year, int month, int day) const;

  std::string text_;
  std::uint64_t minutes_ = 0;   // bit n: minute n
  std::uint32_t hours_ = 0;     // bit n: hour n
  std::uint32_t days_ = 0;      // bit n: day of month n (1..31)
  std::uint32_t months_ = 0;    // bit n: month n (1..12)
  std::uint32_t weekdays_ = 0;  // bit n: weekday n (0 = Sunday .. 6)
  // As in Vixie cron: a day field counts as restricted unless its text starts with '*'.
  // When both are restricted a day matches if either matches, otherwise both must.
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

enum class CronZone { utc, local };

// Throws std::invalid_argument for anything but "utc" and "local".
CronZone cron_zone_from_string(std::string_view text);
std::string_view to_string(CronZone zone);

using SystemTime = std::chrono::system_clock::time_point;

// The wall-clock reading at `instant` in `zone` (local time as set by TZ).
CivilTime to_civil(SystemTime instant, CronZone zone);

// The first instant strictly after `after` at which `expression` fires in `zone`. In local
// time a reading skipped by a forward DST jump fires at the jump; a reading that occurs
// twice fires at its first occurrence only (see README.md).
std::optional<SystemTime> next_fire_time(const CronExpression& expression, SystemTime after,
                                         CronZone zone);

}  // namespace seer::clock
