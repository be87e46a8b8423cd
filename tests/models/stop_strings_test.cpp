#include "seer/models/stop_strings.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace seer::models {
namespace {

// Feeds `pieces` and returns everything passed on plus whether a stop string was hit.
std::pair<std::string, bool> run(std::vector<std::string> stops,
                                 const std::vector<std::string>& pieces) {
  StopStringMatcher matcher(std::move(stops));
  std::string out;
  for (const std::string& piece : pieces) {
    const auto result = matcher.push(piece);
    out += result.text;
    if (result.stopped) return {out, true};
  }
  return {out + matcher.finish(), false};
}

TEST(StopStringMatcher, EndsBeforeAStopStringSplitAcrossPieces) {
  EXPECT_EQ(run({"User:"}, {"Hi there. Us", "er: more"}),
            std::make_pair(std::string("Hi there. "), true));
}

TEST(StopStringMatcher, HoldsBackOnlyWhatCouldStartAStopString) {
  StopStringMatcher matcher({"###"});
  EXPECT_EQ(matcher.push("abc#").text, "abc");
  EXPECT_EQ(matcher.push("#x").text, "##x");  // "##x" cannot start "###" any more
  EXPECT_EQ(matcher.push("##").text, "");
  EXPECT_EQ(matcher.finish(), "##");
}

TEST(StopStringMatcher, TheEarliestOfSeveralStopStringsWins) {
  EXPECT_EQ(run({"world", "lo"}, {"hello world"}), std::make_pair(std::string("hel"), true));
}

TEST(StopStringMatcher, PassesEverythingWithoutStopStrings) {
  EXPECT_EQ(run({}, {"a", "b"}), std::make_pair(std::string("ab"), false));
  EXPECT_EQ(run({""}, {"a", "b"}), std::make_pair(std::string("ab"), false));
}

TEST(StopStringMatcher, AcceptsNothingAfterAStop) {
  StopStringMatcher matcher({"."});
  EXPECT_TRUE(matcher.push("one. two").stopped);
  const auto after = matcher.push("three");
  EXPECT_TRUE(after.stopped);
  EXPECT_EQ(after.text, "");
}

}  // namespace
}  // namespace seer::models
