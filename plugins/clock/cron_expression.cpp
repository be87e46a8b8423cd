#include "cron_expression.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <vector>

namespace seer::clock {
namespace {

namespace chrono = std::chrono;
using chrono::seconds;

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kWeekdayNames = {"SUN", "MON", "TUE", "WED",
                                                           "THU", "FRI", "SAT"};

// How one of the five fields is read.
struct FieldSpec {
  std::string_view name;
  int min;
  int max;                   // highest value accepted in the text
  int open_max;              // where '*' and "a/n" end (day-of-week: 6, so 7 is never implied)
  int first_name_value = 0;  // value of names[0]
  const std::string_view* names = nullptr;
  std::size_t name_count = 0;
  bool weekday = false;  // 7 is Sunday again, and a range may end on Sunday ("FRI-SUN")
};

constexpr FieldSpec kMinute{.name = "minute", .min = 0, .max = 59, .open_max = 59};
constexpr FieldSpec kHour{.name = "hour", .min = 0, .max = 23, .open_max = 23};
constexpr FieldSpec kDayOfMonth{.name = "day-of-month", .min = 1, .max = 31, .open_max = 31};
constexpr FieldSpec kMonth{.name = "month",
                           .min = 1,
                           .max = 12,
                           .open_max = 12,
                           .first_name_value = 1,
                           .names = kMonthNames.data(),
                           .name_count = kMonthNames.size()};
constexpr FieldSpec kDayOfWeek{.name = "day-of-week",
                               .min = 0,
                               .max = 7,
                               .open_max = 6,
                               .names = kWeekdayNames.data(),
                               .name_count = kWeekdayNames.size(),
                               .weekday = true};

struct Macro {
  std::string_view name;
  std::string_view expansion;
};

constexpr std::array<Macro, 7> kMacros = {{{"@yearly", "0 0 1 1 *"},
                                           {"@annually", "0 0 1 1 *"},
                                           {"@monthly", "0 0 1 * *"},
                                           {"@weekly", "0 0 * * 0"},
                                           {"@daily", "0 0 * * *"},
                                           {"@midnight", "0 0 * * *"},
                                           {"@hourly", "0 * * * *"}}};

std::string upper(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return result;
}

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool is_letters(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0;
  });
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> split_whitespace(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Reads one field's text into a bit set, throwing with the field's name and text.
class FieldParser {
 public:
  FieldParser(const FieldSpec& spec, std::string_view text) : spec_(spec), text_(text) {}

  std::uint64_t parse() const {
    std::uint64_t bits = 0;
    for (std::string_view element : split(text_, ',')) bits |= parse_element(element);
    return bits;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const {
    throw std::invalid_argument(std::string(spec_.name) + " field '" + std::string(text_) +
                                "': " + problem);
  }

  std::string range_text() const {
    std::string text = std::to_string(spec_.min) + "-" + std::to_string(spec_.max);
    if (spec_.names != nullptr) {
      text += " or " + std::string(spec_.names[0]) + "-" +
              std::string(spec_.names[spec_.name_count - 1]);
    }
    return text;
  }

  int parse_number(std::string_view token, std::string_view what) const {
    if (token.size() > 4) fail(std::string(what) + " " + std::string(token) + " is too large");
    int value = 0;
    for (char c : token) value = value * 10 + (c - '0');
    return value;
  }

  int parse_value(std::string_view token) const {
    if (token.empty()) fail("missing value");
    if (is_digits(token)) {
      const int value = parse_number(token, "value");
      if (value < spec_.min || value > spec_.max) {
        fail("value " + std::string(token) + " is out of range " + std::to_string(spec_.min) + "-" +
             std::to_string(spec_.max));
      }
      return value;
    }
    if (spec_.names != nullptr && is_letters(token)) {
      const std::string name = upper(token);
      for (std::size_t i = 0; i < spec_.name_count; ++i) {
        if (spec_.names[i] == name) return spec_.first_name_value + static_cast<int>(i);
      }
      fail("unknown name '" + std::string(token) + "' (expected " + range_text() + ")");
    }
    fail("'" + std::string(token) + "' is not a number in " + range_text());
  }

  std::uint64_t parse_element(std::string_view element) const {
    if (element.empty()) fail("empty list element");
    const std::vector<std::string_view> step_parts = split(element, '/');
    if (step_parts.size() > 2) fail("more than one '/' in '" + std::string(element) + "'");

    int step = 1;
    const bool has_step = step_parts.size() == 2;
    if (has_step) {
      const std::string_view step_text = step_parts[1];
      if (!is_digits(step_text)) {
        fail("step '" + std::string(step_text) + "' in '" + std::string(element) +
             "' is not a positive number");
      }
      step = parse_number(step_text, "step");
      if (step < 1) fail("step 0 in '" + std::string(element) + "' must be at least 1");
    }

    const std::string_view range = step_parts[0];
    int first = 0;
    int last = 0;
    if (range == "*") {
      first = spec_.min;
      last = spec_.open_max;
    } else if (const std::size_t dash = range.find('-'); dash != std::string_view::npos) {
      first = parse_value(range.substr(0, dash));
      last = parse_value(range.substr(dash + 1));
      // "FRI-SUN" means Friday through Sunday: Sunday at the end of a range is 7.
      if (spec_.weekday && last == 0 && first > 0) last = 7;
      if (first > last) {
        fail("range '" + std::string(range) + "' is reversed (its start is after its end)");
      }
    } else {
      first = parse_value(range);
      // "a/n" is "a-max/n", as in cronie.
      last = has_step ? std::max(first, spec_.open_max) : first;
    }

    std::uint64_t bits = 0;
    for (int value = first; value <= last; value += step) {
      // Day-of-week 7 is Sunday, stored as 0.
      const int stored = spec_.weekday ? value % 7 : value;
      bits |= std::uint64_t{1} << stored;
    }
    return bits;
  }

  const FieldSpec& spec_;
  std::string_view text_;
};

bool has_bit(std::uint64_t bits, int index) { return ((bits >> index) & 1U) != 0; }

chrono::year_month_day to_date(int year, int month, int day) {
  return chrono::year{year} / chrono::month{static_cast<unsigned>(month)} /
         chrono::day{static_cast<unsigned>(day)};
}

int days_in_month(int year, int month) {
  const chrono::year_month_day_last last{
      chrono::year{year}, chrono::month_day_last{chrono::month{static_cast<unsigned>(month)}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

// The longest any month gets (February: 29), for rejecting days that never come.
int longest_month(int month) { return days_in_month(2000, month); }

// Seconds since the epoch of a civil time read as UTC.
std::int64_t civil_to_seconds(const CivilTime& time) {
  const chrono::sys_days date{to_date(time.year, time.month, time.day)};
  return date.time_since_epoch().count() * 86400 + time.hour * 3600 + time.minute * 60 +
         time.second;
}

CivilTime tm_to_civil(const std::tm& tm) {
  return CivilTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
}

CivilTime seconds_to_civil(std::int64_t instant, CronZone zone) {
  const auto value = static_cast<std::time_t>(instant);
  std::tm tm{};
  if (zone == CronZone::utc) {
    gmtime_r(&value, &tm);
  } else {
    localtime_r(&value, &tm);
  }
  return tm_to_civil(tm);
}

// Seconds the local wall clock is ahead of UTC at `instant`.
std::int64_t local_offset(std::int64_t instant) {
  return civil_to_seconds(seconds_to_civil(instant, CronZone::local)) - instant;
}

// The first instant after `after` at which the local wall clock shows `civil` or, when a
// forward jump skips it, the instant of that jump. Nullopt if neither exists near `civil`.
std::optional<std::int64_t> resolve_local(const CivilTime& civil, std::int64_t after) {
  const std::int64_t as_utc = civil_to_seconds(civil);
  // Every offset in force within a day of the reading (real offsets span -12h..+14h).
  std::vector<std::int64_t> offsets;
  for (int k = -4; k <= 4; ++k) offsets.push_back(local_offset(as_utc + k * 6 * 3600));
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());

  std::optional<std::int64_t> earliest;
  bool occurs = false;
  for (const std::int64_t offset : offsets) {
    const std::int64_t candidate = as_utc - offset;
    if (local_offset(candidate) != offset) continue;  // the reading is not shown at that offset
    occurs = true;
    if (candidate > after && (!earliest || candidate < *earliest)) earliest = candidate;
  }
  if (earliest || occurs || offsets.size() < 2) return earliest;

  // Skipped by a forward jump: find the jump, the first instant reading later than `civil`.
  std::int64_t low = as_utc - offsets.back();  // reads earlier than civil
  std::int64_t high = as_utc - offsets.front();
  if (civil_to_seconds(seconds_to_civil(high, CronZone::local)) < as_utc) return std::nullopt;
  while (high - low > 1) {
    const std::int64_t middle = low + (high - low) / 2;
    if (civil_to_seconds(seconds_to_civil(middle, CronZone::local)) >= as_utc) {
      high = middle;
    } else {
      low = middle;
    }
  }
  if (high <= after) return std::nullopt;
  return high;
}

}  // namespace

std::string to_string(const CivilTime& time) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d", time.year, time.month,
                time.day, time.hour, time.minute, time.second);
  return buffer;
}

CronExpression CronExpression::parse(std::string_view text) {
  CronExpression expression;
  expression.text_ = std::string(text);

  std::vector<std::string_view> fields = split_whitespace(text);
  if (fields.empty()) throw std::invalid_argument("empty cron expression");
  if (fields.size() == 1 && fields[0].front() == '@') {
    const std::string name(fields[0]);
    const auto macro = std::find_if(kMacros.begin(), kMacros.end(), [&name](const Macro& m) {
      return m.name.size() == name.size() && upper(m.name) == upper(name);
    });
    if (macro == kMacros.end()) {
      throw std::invalid_argument("unknown macro '" + name +
                                  "' (expected @yearly, @annually, @monthly, @weekly, @daily, "
                                  "@midnight or @hourly)");
    }
    fields = split_whitespace(macro->expansion);
  }
  if (fields.size() != 5) {
    throw std::invalid_argument(
        "expected 5 fields (minute hour day-of-month month day-of-week) but got " +
        std::to_string(fields.size()));
  }

  expression.minutes_ = FieldParser(kMinute, fields[0]).parse();
  expression.hours_ = static_cast<std::uint32_t>(FieldParser(kHour, fields[1]).parse());
  expression.days_ = static_cast<std::uint32_t>(FieldParser(kDayOfMonth, fields[2]).parse());
  expression.months_ = static_cast<std::uint32_t>(FieldParser(kMonth, fields[3]).parse());
  expression.weekdays_ = static_cast<std::uint32_t>(FieldParser(kDayOfWeek, fields[4]).parse());
  expression.days_restricted_ = fields[2].front() != '*';
  expression.weekdays_restricted_ = fields[4].front() != '*';

  // With the weekday unrestricted only the day of month decides: it must exist in some
  // selected month, or the expression would never fire ("0 0 30 2 *").
  if (!expression.weekdays_restricted_) {
    bool possible = false;
    for (int month = 1; month <= 12 && !possible; ++month) {
      if (!has_bit(expression.months_, month)) continue;
      for (int day = 1; day <= longest_month(month) && !possible; ++day) {
        possible = has_bit(expression.days_, day);
      }
    }
    if (!possible) {
      throw std::invalid_argument("day-of-month field '" + std::string(fields[2]) +
                                  "': never occurs in month field '" + std::string(fields[3]) +
                                  "'");
    }
  }
  return expression;
}

bool CronExpression::matches_day(int year, int month, int day) const {
  const unsigned weekday_index =
      chrono::weekday{chrono::sys_days{to_date(year, month, day)}}.c_encoding();
  const bool day_matches = has_bit(days_, day);
  const bool weekday_matches = has_bit(weekdays_, static_cast<int>(weekday_index));
  if (days_restricted_ && weekdays_restricted_) return day_matches || weekday_matches;
  return day_matches && weekday_matches;
}

bool CronExpression::matches(const CivilTime& time) const {
  return has_bit(minutes_, time.minute) && has_bit(hours_, time.hour) &&
         has_bit(months_, time.month) && matches_day(time.year, time.month, time.day);
}

std::optional<CivilTime> CronExpression::next_after(const CivilTime& time) const {
  int year = time.year;
  int month = time.month;
  int day = time.day;
  int hour = time.hour;
  int minute = time.minute + 1;  // strictly after: the next whole minute
  const int last_year = time.year + 100;

  // Each step moves to the start of the next minute, hour, day or month, then carries.
  while (true) {
    if (minute > 59) {
      minute = 0;
      ++hour;
    }
    if (hour > 23) {
      hour = 0;
      ++day;
    }
    if (day > days_in_month(year, month)) {
      day = 1;
      ++month;
    }
    if (month > 12) {
      month = 1;
      ++year;
    }
    if (year > last_year) return std::nullopt;

    if (!has_bit(months_, month)) {
      ++month;
      day = 1;
      hour = 0;
      minute = 0;
    } else if (!matches_day(year, month, day)) {
      ++day;
      hour = 0;
      minute = 0;
    } else if (!has_bit(hours_, hour)) {
      ++hour;
      minute = 0;
    } else if (!has_bit(minutes_, minute)) {
      ++minute;
    } else {
      return CivilTime{year, month, day, hour, minute, 0};
    }
  }
}

CronZone cron_zone_from_string(std::string_view text) {
  if (text == "utc") return CronZone::utc;
  if (text == "local") return CronZone::local;
  throw std::invalid_argument("unknown time zone '" + std::string(text) +
                              "' (expected 'local' or 'utc')");
}

std::string_view to_string(CronZone zone) { return zone == CronZone::utc ? "utc" : "local"; }

CivilTime to_civil(SystemTime instant, CronZone zone) {
  const auto whole = chrono::floor<seconds>(instant);
  return seconds_to_civil(whole.time_since_epoch().count(), zone);
}

std::optional<SystemTime> next_fire_time(const CronExpression& expression, SystemTime after,
                                         CronZone zone) {
  // Firing instants are whole seconds, so "after `after`" is "after its whole second".
  const std::int64_t after_seconds = chrono::floor<seconds>(after).time_since_epoch().count();
  CivilTime reading = seconds_to_civil(after_seconds, zone);
  // A few rounds at most: a reading can only fail to resolve next to a DST change.
  for (int round = 0; round < 8; ++round) {
    const std::optional<CivilTime> candidate = expression.next_after(reading);
    if (!candidate) return std::nullopt;
    std::optional<std::int64_t> instant;
    if (zone == CronZone::utc) {
      instant = civil_to_seconds(*candidate);
    } else {
      instant = resolve_local(*candidate, after_seconds);
    }
    if (instant) return SystemTime{seconds{*instant}};
    reading = *candidate;
  }
  return std::nullopt;
}

}  // namespace seer::clock
