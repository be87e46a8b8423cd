#include <seer/topic.hpp>

#include <gtest/gtest.h>

namespace seer {
namespace {

struct MatchCase {
  const char* filter;
  const char* topic;
  bool matches;
};

class TopicMatchTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(TopicMatchTest, FollowsMqttRules) {
  const auto& c = GetParam();
  EXPECT_EQ(topic_matches(c.filter, c.topic), c.matches) << c.filter << " vs " << c.topic;
}

INSTANTIATE_TEST_SUITE_P(
    Wildcards, TopicMatchTest,
    ::testing::Values(MatchCase{"camera/front/frame", "camera/front/frame", true},
                      MatchCase{"camera/front/frame", "camera/back/frame", false},
                      MatchCase{"camera/+/frame", "camera/back/frame", true},
                      MatchCase{"camera/+/frame", "camera/back/motion", false},
                      MatchCase{"camera/+/frame", "camera/frame", false},
                      MatchCase{"camera/+", "camera/a/b", false},
                      MatchCase{"camera/#", "camera", true},
                      MatchCase{"camera/#", "camera/a", true},
                      MatchCase{"camera/#", "camera/a/b/c", true},
                      MatchCase{"camera/#", "cameras/a", false},
                      MatchCase{"#", "anything/at/all", true}, MatchCase{"+", "one", true},
                      MatchCase{"+", "one/two", false}, MatchCase{"+/+", "a/b", true},
                      MatchCase{"a/+/#", "a/b", true}, MatchCase{"a/+/#", "a", false},
                      MatchCase{"a//b", "a//b", true}, MatchCase{"a/+/b", "a//b", true},
                      MatchCase{"a/b", "a/b/", false}, MatchCase{"a/b/", "a/b/", true},
                      MatchCase{"a/b", "a", false}, MatchCase{"a", "a/b", false}));

TEST(TopicFilter, AcceptsWellFormedFilters) {
  for (const char* filter : {"a", "a/b", "+", "#", "a/+/c", "a/#", "+/+/#", "a//b"}) {
    EXPECT_EQ(check_topic_filter(filter), "") << filter;
  }
}

TEST(TopicFilter, RejectsMalformedFilters) {
  EXPECT_EQ(check_topic_filter(""), "a topic filter must not be empty");
  EXPECT_EQ(check_topic_filter("a/#/b"), "'#' must be the last level of a topic filter");
  EXPECT_EQ(check_topic_filter("a/b#"),
            "wildcards '+' and '#' must occupy a whole level, as in 'camera/+/frame'");
  EXPECT_NE(check_topic_filter("a+/b"), "");
}

TEST(Topic, ConcreteTopicsHaveNoWildcards) {
  EXPECT_TRUE(is_valid_topic("camera/front/frame"));
  EXPECT_FALSE(is_valid_topic(""));
  EXPECT_FALSE(is_valid_topic("camera/+/frame"));
  EXPECT_FALSE(is_valid_topic("camera/#"));
}

}  // namespace
}  // namespace seer
