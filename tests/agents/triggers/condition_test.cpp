// The condition language: every operator, paths, missing keys, literals and bare words, and
// errors that point at the column of the problem.

#include <seer/agents/condition.hpp>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

namespace seer::agents {
namespace {

bool holds(std::string_view condition, std::string_view payload) {
  return Condition::parse(condition).holds(boost::json::parse(payload));
}

const char kFrigateNew[] = R"({"type": "new",
  "before": {"label": "person", "score": 0.62, "current_zones": []},
  "after": {"label": "person", "score": 0.81, "current_zones": ["porch", "driveway"],
            "sub_label": null, "stationary": false, "camera": "front_door"}})";

TEST(ConditionTest, FrigateNewPersonMatchesTypeLabelAndScore) {
  EXPECT_TRUE(holds("type == new", kFrigateNew));
  EXPECT_TRUE(holds("after.label == person", kFrigateNew));
  EXPECT_TRUE(holds(R"(after.label == "person")", kFrigateNew));
  EXPECT_TRUE(holds("after.score >= 0.7", kFrigateNew));
  EXPECT_FALSE(holds("before.score >= 0.7", kFrigateNew));
  EXPECT_FALSE(holds("type == update", kFrigateNew));
  EXPECT_TRUE(holds("after.current_zones[1] == driveway", kFrigateNew));
  EXPECT_TRUE(holds("after.current_zones contains porch", kFrigateNew));
  EXPECT_FALSE(holds("before.current_zones contains porch", kFrigateNew));
  EXPECT_TRUE(holds("after.camera contains front", kFrigateNew));
  EXPECT_TRUE(holds("not after.stationary", kFrigateNew));
  EXPECT_FALSE(holds("after.stationary", kFrigateNew));
  EXPECT_TRUE(holds("after.sub_label == null", kFrigateNew));
}

TEST(ConditionTest, Zigbee2MqttReadings) {
  const char occupied[] = R"({"occupancy": true, "illuminance": 12, "battery": 97})";
  EXPECT_TRUE(holds("occupancy == true", occupied));
  EXPECT_TRUE(holds("occupancy", occupied));
  EXPECT_FALSE(holds("not occupancy", occupied));
  EXPECT_TRUE(holds("illuminance < 30", occupied));
  EXPECT_TRUE(holds("illuminance <= 12", occupied));
  EXPECT_FALSE(holds("illuminance > 12", occupied));
  EXPECT_TRUE(holds("illuminance > 11.5", occupied));
  EXPECT_TRUE(holds("illuminance == 12.0", occupied));  // numbers compare by value
  EXPECT_TRUE(holds("battery != 100", occupied));
  EXPECT_FALSE(holds("occupancy == false", occupied));
  EXPECT_TRUE(holds(R"(state == "ON")", R"({"state": "ON"})"));
  EXPECT_FALSE(holds(R"(state == "ON")", R"({"state": "on"})"));
  EXPECT_TRUE(holds("action in [single, double]", R"({"action": "double"})"));
  EXPECT_FALSE(holds("action in [single, double]", R"({"action": "hold"})"));
  EXPECT_TRUE(holds(R"(level in [1, 2.5, "three"])", R"({"level": 2.5})"));
  EXPECT_FALSE(holds("action in []", R"({"action": "single"})"));
}

TEST(ConditionTest, MissingPathsNeverMatchExceptNotEqual) {
  const char payload[] = R"({"a": {"b": [1]}, "text": "x"})";
  for (const char* condition :
       {"missing == 1", "missing", "not missing", "missing < 3", "missing >= 3", "missing in [1]",
        "missing contains x", "a.b[5] == 1", "a.c.d == 1", "text.inner == 1", "a[0] == 1",
        "a.b.c == 1"}) {
    EXPECT_FALSE(holds(condition, payload)) << condition;
  }
  EXPECT_TRUE(holds("missing != 1", payload));
  EXPECT_TRUE(holds("a.b[0] == 1", payload));
}

TEST(ConditionTest, TruthinessFollowsJson) {
  EXPECT_FALSE(holds("v", R"({"v": 0})"));
  EXPECT_TRUE(holds("v", R"({"v": -2})"));
  EXPECT_FALSE(holds("v", R"({"v": ""})"));
  EXPECT_TRUE(holds("v", R"({"v": "no"})"));  // a non-empty string is true
  EXPECT_FALSE(holds("v", R"({"v": []})"));
  EXPECT_TRUE(holds("v", R"({"v": {"k": 1}})"));
  EXPECT_FALSE(holds("v", R"({"v": null})"));
  EXPECT_TRUE(holds("not v", R"({"v": null})"));
}

TEST(ConditionTest, TheWholePayloadIsDollar) {
  EXPECT_TRUE(Condition::parse("$ == online").holds(boost::json::value("online")));
  EXPECT_FALSE(Condition::parse("$ == online").holds(boost::json::value("offline")));
  EXPECT_TRUE(Condition::parse("$ > 20").holds(boost::json::value(21.5)));
  EXPECT_TRUE(
      Condition::parse("[1].id == b").holds(boost::json::parse(R"([{"id":"a"},{"id":"b"}])")));
}

TEST(ConditionTest, OrderingComparesNumbersOrStringsButNotAcross) {
  EXPECT_TRUE(holds("name < m", R"({"name": "alice"})"));
  EXPECT_FALSE(holds("name < m", R"({"name": "zoe"})"));
  EXPECT_FALSE(holds("name < 3", R"({"name": "1"})"));  // a string is not a number
  EXPECT_FALSE(holds("n > 3", R"({"n": "5"})"));
  EXPECT_FALSE(holds("n == 5", R"({"n": "5"})"));
}

TEST(ConditionTest, LiteralsAndBareWords) {
  EXPECT_TRUE(holds("v == true", R"({"v": true})"));
  EXPECT_FALSE(holds("v == true", R"({"v": "true"})"));
  EXPECT_TRUE(holds(R"(v == "true")", R"({"v": "true"})"));
  EXPECT_TRUE(holds("v == -3e2", R"({"v": -300})"));
  EXPECT_TRUE(holds("v == 2nd", R"({"v": "2nd"})"));  // not a number: a word
  EXPECT_TRUE(holds("v == trueish", R"({"v": "trueish"})"));
  EXPECT_TRUE(holds(R"(v == "a \"quoted\" word")", R"({"v": "a \"quoted\" word"})"));
  EXPECT_TRUE(holds(R"(v == "two words")", R"({"v": "two words"})"));
  EXPECT_TRUE(holds("v==1", R"({"v": 1})"));
  EXPECT_TRUE(holds("  v   in[a ,b]  ", R"({"v": "b"})"));
  EXPECT_TRUE(holds("zones == [porch, driveway]", R"({"zones": ["porch", "driveway"]})"));
  EXPECT_TRUE(holds("zones != [porch]", R"({"zones": ["porch", "driveway"]})"));
  EXPECT_TRUE(holds("tags contains 3", R"({"tags": [1, 3.0]})"));
  EXPECT_EQ(Condition::parse("after.label == person").text(), "after.label == person");
}

// The column in the error, and a phrase of the problem.
void expect_error(std::string_view text, std::size_t column, std::string_view problem) {
  try {
    Condition::parse(text);
    ADD_FAILURE() << "'" << text << "' parsed";
  } catch (const ConditionError& error) {
    EXPECT_EQ(error.column(), column) << error.what();
    EXPECT_NE(std::string(error.what()).find(problem), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("column " + std::to_string(column)), std::string::npos)
        << error.what();
    const std::invalid_argument& as_invalid_argument = error;  // what the API promises
    EXPECT_NE(std::string(as_invalid_argument.what()).find(text), std::string::npos);
  }
}

TEST(ConditionTest, BadExpressionsNameTheColumn) {
  expect_error("", 1, "empty condition");
  expect_error("   ", 4, "empty condition");
  expect_error("after.label =~ person", 13, "'=' is not an operator");
  expect_error("after.label = person", 13, "'=' is not an operator");
  expect_error("after.label is person", 13, "expected an operator");
  expect_error("after.label ==", 15, "expected a value");
  expect_error("after..label == x", 7, "expected a key name");
  expect_error("zones[x] == a", 7, "expected a list index");
  expect_error("zones[1 == a", 7, "expected a list index");
  expect_error("== person", 1, "expected a path");
  expect_error("action in single", 11, "'in' expects a list");
  expect_error("action in [single, double", 26, "expected ',' or ']'");
  expect_error("action in [single double]", 19, "expected ',' or ']'");
  expect_error("action in [[a]]", 12, "lists inside lists");
  expect_error(R"(label == "person)", 10, "unterminated or malformed string");
  expect_error("score > [1]", 9, "a list goes only with");
  expect_error("score > null", 9, "compare with a number or a string");
  expect_error("label == person extra", 17, "unexpected text after the condition");
  expect_error("not", 4, "expected a path");
}

}  // namespace
}  // namespace seer::agents
