#include "clock/cron_expression.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace seer::clock {
namespace {

CivilTime at(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return CivilTime{year, month, day, hour, minute, second};
}

CivilTime next(std::string_view cron, const CivilTime& after) {
  const std::optional<CivilTime> result = CronExpression::parse(cron).next_after(after);
  if (!result) throw std::runtime_error("no next time for '" + std::string(cron) + "'");
  return *result;
}

std::string parse_error(std::string_view cron) {
  try {
    CronExpression::parse(cron);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(parsed)";
}

// ---- parsing errors -----------------------------------------------------------------------

struct ErrorCase {
  const char* cron;
  const char* message;  // a substring of what() naming the field, value and problem
};

class CronParseErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(CronParseErrorTest, NamesTheFieldAndTheProblem) {
  const ErrorCase& param = GetParam();
  EXPECT_NE(parse_error(param.cron).find(param.message), std::string::npos)
      << "cron: '" << param.cron << "'\nwhat(): " << parse_error(param.cron);
}

INSTANTIATE_TEST_SUITE_P(
    Table, CronParseErrorTest,
    ::testing::Values(
        ErrorCase{"", "empty cron expression"}, ErrorCase{"   ", "empty cron expression"},
        ErrorCase{"* * * *",
                  "expected 5 fields (minute hour day-of-month month day-of-week) "
                  "but got 4"},
        ErrorCase{"0 * * * * *", "but got 6"},
        ErrorCase{"60 * * * *", "minute field '60': value 60 is out of range 0-59"},
        ErrorCase{"* 24 * * *", "hour field '24': value 24 is out of range 0-23"},
        ErrorCase{"* * 0 * *", "day-of-month field '0': value 0 is out of range 1-31"},
        ErrorCase{"* * 32 * *", "day-of-month field '32': value 32 is out of range 1-31"},
        ErrorCase{"* * * 13 *", "month field '13': value 13 is out of range 1-12"},
        ErrorCase{"* * * 0 *", "month field '0': value 0 is out of range 1-12"},
        ErrorCase{"* * * * 8", "day-of-week field '8': value 8 is out of range 0-7"},
        ErrorCase{"* * * FOO *",
                  "month field 'FOO': unknown name 'FOO' (expected 1-12 or JAN-DEC)"},
        ErrorCase{"* * * * MON-FUN",
                  "day-of-week field 'MON-FUN': unknown name 'FUN' "
                  "(expected 0-7 or SUN-SAT)"},
        ErrorCase{"* * * * JANUARY", "unknown name 'JANUARY'"},
        ErrorCase{"* * MON * *", "day-of-month field 'MON': 'MON' is not a number in 1-31"},
        ErrorCase{"* * L * *", "day-of-month field 'L': 'L' is not a number"},
        ErrorCase{"* * ? * *", "day-of-month field '?': '?' is not a number"},
        ErrorCase{"-5 * * * *", "minute field '-5': missing value"},
        ErrorCase{"5- * * * *", "minute field '5-': missing value"},
        ErrorCase{"1,,2 * * * *", "minute field '1,,2': empty list element"},
        ErrorCase{"1, * * * *", "minute field '1,': empty list element"},
        ErrorCase{"*/0 * * * *", "minute field '*/0': step 0 in '*/0' must be at least 1"},
        ErrorCase{"*/x * * * *", "step 'x' in '*/x' is not a positive number"},
        ErrorCase{"*/ * * * *", "step '' in '*/' is not a positive number"},
        ErrorCase{"*/2/3 * * * *", "more than one '/'"},
        ErrorCase{"30-10 * * * *", "minute field '30-10': range '30-10' is reversed"},
        ErrorCase{"* * * DEC-JAN *", "range 'DEC-JAN' is reversed"},
        ErrorCase{"12345 * * * *", "value 12345 is too large"},
        ErrorCase{"1-2-3 * * * *", "'2-3' is not a number"},
        ErrorCase{"@reboot", "unknown macro '@reboot'"}, ErrorCase{"@daily 5", "but got 2"},
        ErrorCase{"0 0 30 2 *", "day-of-month field '30': never occurs in month field '2'"},
        ErrorCase{"0 0 31 APR,JUN,SEP,NOV *", "never occurs in month field 'APR,JUN,SEP,NOV'"}));

// ---- parsing successes --------------------------------------------------------------------

TEST(CronParse, AcceptsNamesInAnyCaseAndKeepsTheText) {
  const CronExpression expression = CronExpression::parse("0 9 * jan-Mar mon-FRI");
  EXPECT_EQ(expression.text(), "0 9 * jan-Mar mon-FRI");
  EXPECT_TRUE(expression.matches(at(2024, 1, 1, 9, 0)));   // Monday
  EXPECT_FALSE(expression.matches(at(2024, 1, 6, 9, 0)));  // Saturday
  EXPECT_FALSE(expression.matches(at(2024, 4, 1, 9, 0)));  // April
  EXPECT_FALSE(expression.matches(at(2024, 1, 1, 9, 1)));  // minute 1
}

TEST(CronParse, AcceptsExtraWhitespaceBetweenFields) {
  EXPECT_TRUE(CronExpression::parse("  0\t12  *  * *  ").matches(at(2024, 5, 5, 12, 0)));
}

TEST(CronParse, ImpossibleDayIsFineWhenTheWeekdayCanMatch) {
  // Both day fields restricted: either may match, so Mondays in February fire.
  EXPECT_EQ(to_string(next("0 0 30 2 MON", at(2024, 1, 1))), to_string(at(2024, 2, 5)));
}

TEST(CronParse, ThirtyFirstIsFineWhenSomeSelectedMonthHasIt) {
  EXPECT_EQ(to_string(next("0 0 31 2,3 *", at(2024, 1, 1))), to_string(at(2024, 3, 31)));
}

// ---- matching -----------------------------------------------------------------------------

TEST(CronMatch, SevenAndZeroAreBothSunday) {
  const CivilTime sunday = at(2024, 6, 2, 0, 0);
  EXPECT_TRUE(CronExpression::parse("0 0 * * 0").matches(sunday));
  EXPECT_TRUE(CronExpression::parse("0 0 * * 7").matches(sunday));
  EXPECT_TRUE(CronExpression::parse("0 0 * * SUN").matches(sunday));
  EXPECT_TRUE(CronExpression::parse("0 0 * * 5-7").matches(sunday));
  EXPECT_FALSE(CronExpression::parse("0 0 * * 1-6").matches(sunday));
}

TEST(CronMatch, RangeEndingOnSundayWrapsToSeven) {
  const CronExpression weekend = CronExpression::parse("0 0 * * FRI-SUN");
  EXPECT_TRUE(weekend.matches(at(2024, 5, 31)));  // Friday
  EXPECT_TRUE(weekend.matches(at(2024, 6, 1)));   // Saturday
  EXPECT_TRUE(weekend.matches(at(2024, 6, 2)));   // Sunday
  EXPECT_FALSE(weekend.matches(at(2024, 6, 3)));  // Monday
}

TEST(CronMatch, SecondsAreIgnored) {
  EXPECT_TRUE(CronExpression::parse("5 * * * *").matches(at(2024, 1, 1, 3, 5, 59)));
}

// ---- next_after ---------------------------------------------------------------------------

struct NextCase {
  const char* cron;
  CivilTime after;
  CivilTime expected;
};

void PrintTo(const NextCase& value, std::ostream* out) {
  *out << "'" << value.cron << "' after " << to_string(value.after);
}

class CronNextTest : public ::testing::TestWithParam<NextCase> {};

TEST_P(CronNextTest, FindsTheNextMatchingMinute) {
  const NextCase& param = GetParam();
  EXPECT_EQ(to_string(next(param.cron, param.after)), to_string(param.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Table, CronNextTest,
    ::testing::Values(
        // Every minute; strictly after, seconds dropped.
        NextCase{"* * * * *", at(2024, 3, 1, 10, 0), at(2024, 3, 1, 10, 1)},
        NextCase{"* * * * *", at(2024, 3, 1, 10, 0, 59), at(2024, 3, 1, 10, 1)},
        NextCase{"* * * * *", at(2024, 3, 1, 23, 59, 30), at(2024, 3, 2, 0, 0)},
        // Steps.
        NextCase{"*/15 * * * *", at(2024, 3, 1, 10, 0), at(2024, 3, 1, 10, 15)},
        NextCase{"*/15 * * * *", at(2024, 3, 1, 10, 46), at(2024, 3, 1, 11, 0)},
        NextCase{"5/20 * * * *", at(2024, 3, 1, 10, 26), at(2024, 3, 1, 10, 45)},
        NextCase{"0 */6 * * *", at(2024, 3, 1, 13, 0), at(2024, 3, 1, 18, 0)},
        NextCase{"10-30/10 * * * *", at(2024, 3, 1, 10, 30), at(2024, 3, 1, 11, 10)},
        NextCase{"0 0 */10 * *", at(2024, 3, 11, 0, 0), at(2024, 3, 21, 0, 0)},
        NextCase{"0 0 */10 * *", at(2024, 3, 31, 0, 0), at(2024, 4, 1, 0, 0)},
        // Ranges and lists.
        NextCase{"0 9-17 * * *", at(2024, 3, 1, 17, 0), at(2024, 3, 2, 9, 0)},
        NextCase{"0 9-17 * * *", at(2024, 3, 1, 8, 59), at(2024, 3, 1, 9, 0)},
        NextCase{"15,45 8,20 * * *", at(2024, 3, 1, 8, 15), at(2024, 3, 1, 8, 45)},
        NextCase{"15,45 8,20 * * *", at(2024, 3, 1, 8, 45), at(2024, 3, 1, 20, 15)},
        NextCase{"0,30 1-3,22 * * *", at(2024, 3, 1, 3, 30), at(2024, 3, 1, 22, 0)},
        // Names.
        NextCase{"0 9 * * MON-FRI", at(2024, 5, 31, 9, 0), at(2024, 6, 3, 9, 0)},  // Fri → Mon
        NextCase{"0 0 1 JUL *", at(2024, 3, 1, 0, 0), at(2024, 7, 1, 0, 0)},
        NextCase{"0 0 1 jan,jul *", at(2024, 7, 1, 0, 0), at(2025, 1, 1, 0, 0)},
        NextCase{"0 12 * * sat", at(2024, 6, 1, 12, 0), at(2024, 6, 8, 12, 0)},
        // Day of month and day of week: either matches when both are restricted...
        NextCase{"0 0 13 * FRI", at(2024, 9, 1), at(2024, 9, 6)},   // Friday the 6th
        NextCase{"0 0 13 * FRI", at(2024, 9, 6), at(2024, 9, 13)},  // the 13th (a Friday)
        NextCase{"0 0 15 * MON", at(2024, 4, 9), at(2024, 4, 15)},  // the 15th (a Monday)
        NextCase{"0 0 10 * MON", at(2024, 4, 8), at(2024, 4, 10)},  // the 10th, a Wednesday
        // ...and both must when one starts with '*' (as in Vixie cron).
        NextCase{"0 0 */2 * MON", at(2024, 4, 1), at(2024, 4, 15)},  // odd day and Monday
        NextCase{"0 0 * * MON", at(2024, 4, 2), at(2024, 4, 8)},
        NextCase{"0 0 13 * *", at(2024, 4, 2), at(2024, 4, 13)},
        NextCase{"0 0 13 * *", at(2024, 12, 13), at(2025, 1, 13)},
        // Month rollover and short months.
        NextCase{"0 0 31 * *", at(2024, 1, 31), at(2024, 3, 31)},
        NextCase{"0 0 31 * *", at(2024, 5, 31), at(2024, 7, 31)},
        NextCase{"0 0 30 * *", at(2024, 1, 30), at(2024, 3, 30)},
        NextCase{"59 23 28-31 * *", at(2023, 2, 28, 23, 59), at(2023, 3, 28, 23, 59)},
        // Leap years.
        NextCase{"0 0 29 2 *", at(2024, 1, 1), at(2024, 2, 29)},
        NextCase{"0 0 29 2 *", at(2024, 2, 29), at(2028, 2, 29)},
        NextCase{"0 0 29 2 *", at(2097, 3, 1), at(2104, 2, 29)},  // 2100 is not a leap year
        NextCase{"0 0 29 2 *", at(1999, 3, 1), at(2000, 2, 29)},  // 2000 is one
        NextCase{"0 12 * 2 *", at(2023, 2, 28, 12, 0), at(2024, 2, 1, 12, 0)},
        NextCase{"0 12 * 2 *", at(2024, 2, 28, 12, 0), at(2024, 2, 29, 12, 0)},
        // Macros.
        NextCase{"@hourly", at(2024, 3, 1, 10, 0), at(2024, 3, 1, 11, 0)},
        NextCase{"@daily", at(2024, 3, 1, 10, 0), at(2024, 3, 2, 0, 0)},
        NextCase{"@midnight", at(2024, 2, 28, 0, 0), at(2024, 2, 29, 0, 0)},
        NextCase{"@weekly", at(2024, 6, 1, 10, 0), at(2024, 6, 2, 0, 0)},  // Sat → Sun
        NextCase{"@monthly", at(2024, 2, 15), at(2024, 3, 1)},
        NextCase{"@yearly", at(2024, 2, 15), at(2025, 1, 1)},
        NextCase{"@ANNUALLY", at(2024, 1, 1), at(2025, 1, 1)},
        // Year boundary.
        NextCase{"* * * * *", at(2024, 12, 31, 23, 59), at(2025, 1, 1, 0, 0)},
        NextCase{"30 23 31 12 *", at(2024, 12, 31, 23, 30), at(2025, 12, 31, 23, 30)},
        NextCase{"0 0 1 1 *", at(2024, 12, 31, 23, 59, 59), at(2025, 1, 1, 0, 0)},
        NextCase{"0 0 * * MON", at(2024, 12, 31), at(2025, 1, 6)}));

// ---- next_fire_time ----------------------------------------------------------------------

SystemTime utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  const std::chrono::sys_days date{std::chrono::year{year} /
                                   std::chrono::month{static_cast<unsigned>(month)} /
                                   std::chrono::day{static_cast<unsigned>(day)}};
  return date + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

std::string utc_text(std::optional<SystemTime> time) {
  return time ? to_string(to_civil(*time, CronZone::utc)) : "(none)";
}

TEST(CronZoneNames, ParseAndPrint) {
  EXPECT_EQ(cron_zone_from_string("utc"), CronZone::utc);
  EXPECT_EQ(cron_zone_from_string("local"), CronZone::local);
  EXPECT_EQ(to_string(CronZone::utc), "utc");
  EXPECT_THROW(cron_zone_from_string("Europe/Paris"), std::invalid_argument);
}

TEST(CronFireTime, UtcIsStrictlyAfterAndDropsSubSeconds) {
  const CronExpression every_minute = CronExpression::parse("* * * * *");
  EXPECT_EQ(utc_text(next_fire_time(every_minute, utc(2024, 3, 1, 10, 0), CronZone::utc)),
            "2024-03-01 10:01:00");
  EXPECT_EQ(
      utc_text(next_fire_time(every_minute, utc(2024, 3, 1, 10, 0) + std::chrono::milliseconds(999),
                              CronZone::utc)),
      "2024-03-01 10:01:00");
  EXPECT_EQ(
      utc_text(next_fire_time(
          every_minute, utc(2024, 3, 1, 9, 59) + std::chrono::milliseconds(59'999), CronZone::utc)),
      "2024-03-01 10:00:00");
}

// Sets TZ for one test and restores it afterwards.
class ScopedTimeZone {
 public:
  explicit ScopedTimeZone(const char* zone) {
    if (const char* old = std::getenv("TZ")) previous_ = old;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~ScopedTimeZone() {
    if (previous_) {
      setenv("TZ", previous_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTimeZone(const ScopedTimeZone&) = delete;
  ScopedTimeZone& operator=(const ScopedTimeZone&) = delete;

 private:
  std::optional<std::string> previous_;
};

class CronLocalTimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/share/zoneinfo/America/New_York")) {
      GTEST_SKIP() << "tzdata is not installed";
    }
  }
  std::string fire(std::string_view cron, SystemTime after) const {
    return utc_text(next_fire_time(CronExpression::parse(cron), after, CronZone::local));
  }
};

// New York, 2024: clocks jump 02:00 EST → 03:00 EDT on 10 March (07:00 UTC) and fall back
// 02:00 EDT → 01:00 EST on 3 November (06:00 UTC).
TEST_F(CronLocalTimeTest, OrdinaryDaysUseTheLocalOffset) {
  const ScopedTimeZone zone("America/New_York");
  EXPECT_EQ(fire("30 9 * * *", utc(2024, 1, 15, 12, 0)), "2024-01-15 14:30:00");  // EST
  EXPECT_EQ(fire("30 9 * * *", utc(2024, 7, 15, 12, 0)), "2024-07-15 13:30:00");  // EDT
  EXPECT_EQ(to_string(to_civil(utc(2024, 7, 15, 13, 30), CronZone::local)), "2024-07-15 09:30:00");
}

TEST_F(CronLocalTimeTest, SkippedReadingFiresAtTheJump) {
  const ScopedTimeZone zone("America/New_York");
  EXPECT_EQ(fire("30 2 * * *", utc(2024, 3, 10, 5, 0)), "2024-03-10 07:00:00");
  // The day after, 02:30 exists again (EDT).
  EXPECT_EQ(fire("30 2 * * *", utc(2024, 3, 10, 7, 0)), "2024-03-11 06:30:00");
}

TEST_F(CronLocalTimeTest, SeveralSkippedReadingsFireOnceAtTheJump) {
  const ScopedTimeZone zone("America/New_York");
  // 01:45 EST, then 02:00/02:15/02:30/02:45 (skipped) and 03:00 merge into the jump.
  EXPECT_EQ(fire("*/15 * * * *", utc(2024, 3, 10, 6, 30)), "2024-03-10 06:45:00");
  EXPECT_EQ(fire("*/15 * * * *", utc(2024, 3, 10, 6, 45)), "2024-03-10 07:00:00");
  EXPECT_EQ(fire("*/15 * * * *", utc(2024, 3, 10, 7, 0)), "2024-03-10 07:15:00");  // 03:15 EDT
}

TEST_F(CronLocalTimeTest, RepeatedReadingFiresAtItsFirstOccurrenceOnly) {
  const ScopedTimeZone zone("America/New_York");
  // 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
  EXPECT_EQ(fire("30 1 * * *", utc(2024, 11, 3, 4, 0)), "2024-11-03 05:30:00");
  EXPECT_EQ(fire("30 1 * * *", utc(2024, 11, 3, 5, 30)), "2024-11-04 06:30:00");
  // Half-hourly: after 01:30 EDT the next reading not yet shown is 02:00 EST.
  EXPECT_EQ(fire("*/30 * * * *", utc(2024, 11, 3, 5, 30)), "2024-11-03 07:00:00");
}

TEST_F(CronLocalTimeTest, StartingInsideTheRepeatedHourUsesTheSecondOccurrence) {
  const ScopedTimeZone zone("America/New_York");
  // 06:10 UTC is 01:10 EST, the second pass through 01:xx: 01:30 EST comes next.
  EXPECT_EQ(fire("30 1 * * *", utc(2024, 11, 3, 6, 10)), "2024-11-03 06:30:00");
}

TEST_F(CronLocalTimeTest, HalfHourZoneAndSouthernHemisphere) {
  {
    const ScopedTimeZone zone("Asia/Kolkata");  // +05:30, no DST
    EXPECT_EQ(fire("0 0 * * *", utc(2024, 1, 1, 12, 0)), "2024-01-01 18:30:00");
  }
  {
    // Sydney, 2024: 03:00 AEDT → 02:00 AEST on 7 April; 02:00 → 03:00 on 6 October.
    const ScopedTimeZone zone("Australia/Sydney");
    EXPECT_EQ(fire("30 2 * * *", utc(2024, 10, 5, 12, 0)), "2024-10-05 16:00:00");  // the jump
    EXPECT_EQ(fire("30 2 * * *", utc(2024, 4, 6, 12, 0)), "2024-04-06 15:30:00");   // AEDT
  }
}

}  // namespace
}  // namespace seer::clock
