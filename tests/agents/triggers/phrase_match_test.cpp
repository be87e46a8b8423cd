// Phrase triggers: whole words, Unicode case folding, punctuation ignored, cooldown, and the
// firing published but not handed to on_fire.

#include "event_collector.hpp"
#include "trigger_test_support.hpp"

#include <seer/agents/phrase_words.hpp>
#include <seer/executor.hpp>

#include <gtest/gtest.h>

namespace seer::agents::test {
namespace {

using Words = std::vector<std::string>;

TEST(PhraseWordsTest, FoldsCaseAndDropsPunctuation) {
  EXPECT_EQ(phrase_words("Sophia, LOOK at me!"), (Words{"sophia", "look", "at", "me"}));
  EXPECT_EQ(phrase_words("  look\tat...me?  "), (Words{"look", "at", "me"}));
  EXPECT_EQ(phrase_words("Schau MICH an"), (Words{"schau", "mich", "an"}));
  EXPECT_EQ(phrase_words("STRASSE Straße"), (Words{"strasse", "strasse"}));
  EXPECT_EQ(phrase_words("ＬＯＯＫ"), (Words{"look"}));  // full-width letters (NFKC)
  EXPECT_EQ(phrase_words("ΣΟΦΊΑ"), (Words{"σοφία"}));
  EXPECT_EQ(phrase_words("room 42"), (Words{"room", "42"}));
  EXPECT_TRUE(phrase_words("?! ...").empty());
  EXPECT_THROW(phrase_words("bad \xFF byte"), std::invalid_argument);
}

TEST(PhraseWordsTest, ContainsWholeConsecutiveWords) {
  const Words phrase{"look", "at", "me"};
  EXPECT_TRUE(contains_words(phrase_words("Sophia, LOOK at me!"), phrase));
  EXPECT_FALSE(contains_words(phrase_words("overlook at meeting"), phrase));
  EXPECT_FALSE(contains_words(phrase_words("look at meat"), phrase));
  EXPECT_FALSE(contains_words(phrase_words("look me at"), phrase));
  EXPECT_FALSE(contains_words(phrase_words("look at"), phrase));
  EXPECT_TRUE(contains_words(phrase_words("look-at-me"), phrase));
  EXPECT_FALSE(contains_words(phrase_words("anything"), Words{}));
}

class PhraseTriggerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    subscription = bus.subscribe("agents/sophia/trigger", published.handler());
  }

  std::unique_ptr<TriggerSet> make_set(const std::string& yaml) {
    return std::make_unique<TriggerSet>("sophia", definitions_from(yaml), bus, fired.handler());
  }

  Executor executor{2};
  Bus bus{executor};
  seer::test::EventCollector published;
  Subscription subscription;
  FiredLog fired;
};

const char kPhrases[] = R"(triggers:
  - name: look
    phrases: [look at me, how do I look]
    action: look
  - name: schau
    phrases: [schau mich an]
    action: look
  - name: street
    phrases: [straße]
    action: report
)";

TEST_F(PhraseTriggerTest, MatchesWholeWordsCaseFoldedWithPunctuationIgnored) {
  auto triggers = make_set(kPhrases);
  struct Case {
    const char* text;
    const char* trigger;  // nullptr: no match
  };
  const Case cases[] = {
      {"Sophia, LOOK at me!", "look"},
      {"LOOK AT ME", "look"},
      {"so... how do I look?", "look"},
      {"Schau MICH an", "schau"},
      {"bitte, schau mich an!", "schau"},
      {"Die STRASSE ist nass", "street"},
      {"overlook at meeting", nullptr},
      {"look at meat", nullptr},
      {"schaum ich an", nullptr},
      {"Straßenbahn", nullptr},
      {"", nullptr},
      {"\xFF\xFE", nullptr},
  };
  std::size_t matches = 0;
  for (const Case& test_case : cases) {
    const std::optional<TriggerFired> match = triggers->match_phrase(test_case.text);
    if (test_case.trigger == nullptr) {
      EXPECT_FALSE(match.has_value()) << test_case.text << " matched " << match->trigger;
      continue;
    }
    ++matches;
    ASSERT_TRUE(match.has_value()) << test_case.text;
    EXPECT_EQ(match->trigger, test_case.trigger) << test_case.text;
    EXPECT_EQ(match->source, TriggerSource::phrase);
    EXPECT_EQ(match->agent, "sophia");
    EXPECT_EQ(match->detail.at("text").as_string(), test_case.text);
    EXPECT_TRUE(match->topic.empty());
    EXPECT_NE(match->trace_id, 0u);
  }
  EXPECT_EQ(triggers->fired(), matches);
  EXPECT_EQ(triggers->suppressed(), 0u);
}

TEST_F(PhraseTriggerTest, PublishesTheFiringButLeavesItToTheChatTurn) {
  auto triggers = make_set(kPhrases);
  triggers->start();
  const auto match = triggers->match_phrase("Sophia, look at me!");
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->action, "look");
  EXPECT_EQ(match->detail.at("phrase").as_string(), "look at me");
  ASSERT_TRUE(published.wait_for(1));
  const EventPtr event = published.events().front();
  EXPECT_EQ(event->topic, "agents/sophia/trigger");
  EXPECT_EQ(event->payload, boost::json::value(to_json(*match)));
  EXPECT_EQ(event->trace_id, match->trace_id);
  EXPECT_EQ(event->source, "sophia");
  EXPECT_EQ(fired.size(), 0u);  // on_fire is for bus-driven triggers
}

TEST_F(PhraseTriggerTest, CooldownHoldsTheTriggerBackAndALaterTriggerMayMatch) {
  auto triggers = make_set(R"(triggers:
  - {name: look, phrases: [look at me], action: look, cooldown: 300ms}
  - {name: report, phrases: [look at me now], action: report}
)");
  ASSERT_TRUE(triggers->match_phrase("look at me"));
  EXPECT_FALSE(triggers->match_phrase("LOOK AT ME"));
  EXPECT_EQ(triggers->suppressed(), 1u);
  // "look" is cooling down, so the next trigger whose phrase occurs gets the turn.
  const auto other = triggers->match_phrase("look at me now");
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->trigger, "report");
  EXPECT_EQ(triggers->suppressed(), 2u);
  std::this_thread::sleep_for(350ms);
  const auto again = triggers->match_phrase("look at me");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->trigger, "look");
  EXPECT_EQ(triggers->fired(), 3u);
}

TEST_F(PhraseTriggerTest, NothingMatchesAfterStop) {
  auto triggers = make_set(kPhrases);
  triggers->start();
  triggers->stop();
  EXPECT_FALSE(triggers->match_phrase("look at me"));
  EXPECT_EQ(triggers->fired(), 0u);
}

}  // namespace
}  // namespace seer::agents::test
