// The `triggers:` list read from YAML: every source, defaults, and every mistake as a
// ConfigError at file:line:col and the key that holds it.

#include <seer/agents/trigger_definition.hpp>

#include <gtest/gtest.h>

#include <string>

namespace seer::agents {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> kActions{"look", "report"};

std::vector<TriggerDefinition> read(const std::string& yaml) {
  return read_trigger_definitions(ConfigNode::load_string(yaml, "sophia.yaml")["triggers"],
                                  kActions);
}

// The whole "file:line:col: key '...': message" of the error reading `yaml` gives.
std::string error_of(const std::string& yaml) {
  try {
    read(yaml);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(TriggerDefinitionTest, ReadsEverySourceWithItsOptions) {
  const auto definitions = read(R"(triggers:
  - name: look-at-me
    phrases: [look at me, "how do I look?"]
    action: look
    cooldown: 10s
  - mqtt:
      topic: frigate/events
      when: [type == new, after.label == person, after.score >= 0.7]
    action: report
    publish: {topic: seer/sophia/report, qos: 0, retain: true}
  - name: hall_occupied
    mqtt: {topic: "zigbee2mqtt/+", when: occupancy == true}
    action: look
    debounce: 2s
  - schedule: morning
    action: report
  - motion: {camera: front_door}
    action: look
    debounce: 500ms
    cooldown: 1m
  - motion: garden
    action: look
)");
  ASSERT_EQ(definitions.size(), 6u);

  EXPECT_EQ(definitions[0].name, "look-at-me");
  EXPECT_EQ(definitions[0].source, TriggerSource::phrase);
  EXPECT_EQ(definitions[0].phrases, (std::vector<std::string>{"look at me", "how do I look?"}));
  EXPECT_EQ(definitions[0].action, "look");
  EXPECT_EQ(definitions[0].cooldown, 10s);
  EXPECT_EQ(definitions[0].debounce, 0ms);
  EXPECT_FALSE(definitions[0].publish.has_value());
  EXPECT_EQ(definitions[0].location.file, "sophia.yaml");
  EXPECT_EQ(definitions[0].location.line, 2);
  EXPECT_EQ(definitions[0].location.column, 5);  // where the item's map starts

  EXPECT_EQ(definitions[1].name, "frigate-events");  // from the topic
  EXPECT_EQ(definitions[1].source, TriggerSource::mqtt);
  EXPECT_EQ(definitions[1].mqtt_topic, "frigate/events");
  ASSERT_EQ(definitions[1].conditions.size(), 3u);
  EXPECT_EQ(definitions[1].conditions[2].text(), "after.score >= 0.7");
  ASSERT_TRUE(definitions[1].publish.has_value());
  EXPECT_EQ(definitions[1].publish->topic, "seer/sophia/report");
  EXPECT_EQ(definitions[1].publish->qos, 0);
  EXPECT_TRUE(definitions[1].publish->retain);

  EXPECT_EQ(definitions[2].name, "hall_occupied");
  EXPECT_EQ(definitions[2].mqtt_topic, "zigbee2mqtt/+");
  ASSERT_EQ(definitions[2].conditions.size(), 1u);
  EXPECT_EQ(definitions[2].debounce, 2s);

  EXPECT_EQ(definitions[3].name, "schedule-morning");
  EXPECT_EQ(definitions[3].source, TriggerSource::schedule);
  EXPECT_EQ(definitions[3].schedule, "morning");

  EXPECT_EQ(definitions[4].name, "motion-front_door");
  EXPECT_EQ(definitions[4].source, TriggerSource::motion);
  EXPECT_EQ(definitions[4].camera, "front_door");
  EXPECT_EQ(definitions[4].debounce, 500ms);
  EXPECT_EQ(definitions[4].cooldown, 1min);
  EXPECT_EQ(definitions[5].camera, "garden");
}

TEST(TriggerDefinitionTest, NoListMeansNoTriggersAndDefaultNamesStayUnique) {
  EXPECT_TRUE(read("other: 1\n").empty());
  EXPECT_TRUE(read("triggers:\n").empty());
  const auto definitions = read(R"(triggers:
  - {phrases: [look at me], action: look}
  - {phrases: ["Look, at me!"], action: report}
  - {mqtt: {topic: "#"}, action: look}
)");
  ASSERT_EQ(definitions.size(), 3u);
  EXPECT_EQ(definitions[0].name, "look-at-me");
  EXPECT_EQ(definitions[1].name, "look-at-me-2");
  EXPECT_EQ(definitions[2].name, "trigger-3");  // "#" gives no words to name it by
  EXPECT_TRUE(definitions[2].conditions.empty());
}

TEST(TriggerDefinitionTest, SourceMistakes) {
  EXPECT_EQ(error_of("triggers:\n  - name: idle\n    action: look\n"),
            "sophia.yaml:2:5: key 'triggers[0]': trigger 'idle' has no source: give it one of "
            "`phrases`, `mqtt`, `schedule` or `motion`");
  EXPECT_EQ(error_of("triggers:\n  - phrases: [hi]\n    schedule: morning\n    action: look\n"),
            "sophia.yaml:3:5: key 'triggers[0].schedule': trigger '#1' has two sources "
            "(`phrases` and `schedule`): a trigger has exactly one; write two triggers");
  EXPECT_EQ(error_of("triggers:\n  - phrases: look at me\n    action: look\n"),
            "sophia.yaml:2:14: key 'triggers[0].phrases': expected a list of phrases such as "
            "[look at me, how do I look]");
  EXPECT_EQ(error_of("triggers:\n  - phrases: [look, '...']\n    action: look\n"),
            "sophia.yaml:2:21: key 'triggers[0].phrases[1]': the phrase '...' has no words");
  EXPECT_EQ(error_of("triggers:\n  - schedule: Every Morning\n    action: look\n"),
            "sophia.yaml:2:15: key 'triggers[0].schedule': expected the name of a clock schedule "
            "([a-z0-9_-]+), got 'Every Morning'");
  EXPECT_EQ(error_of("triggers:\n  - motion: {}\n    action: look\n"),
            "sophia.yaml:2:5: key 'triggers[0].motion.camera': missing required key: the camera "
            "instance");
  EXPECT_EQ(error_of("triggers:\n  - motion: {camera: a/b}\n    action: look\n"),
            "sophia.yaml:2:22: key 'triggers[0].motion.camera': expected a camera instance name "
            "(one topic level), got 'a/b'");
  EXPECT_EQ(error_of("triggers:\n  - motion: {camera: x, zone: porch}\n    action: look\n"),
            "sophia.yaml:2:25: key 'triggers[0].motion.zone': unknown key 'zone' in motion "
            "(expected camera)");
}

TEST(TriggerDefinitionTest, MqttMistakes) {
  EXPECT_EQ(error_of("triggers:\n  - mqtt: frigate/events\n    action: look\n"),
            "sophia.yaml:2:11: key 'triggers[0].mqtt': expected a map such as {topic: "
            "frigate/events, when: after.label == person}");
  EXPECT_EQ(error_of("triggers:\n  - mqtt: {when: occupancy}\n    action: look\n"),
            "sophia.yaml:2:5: key 'triggers[0].mqtt.topic': missing required key: the MQTT "
            "topic filter");
  EXPECT_EQ(error_of("triggers:\n  - mqtt: {topic: \"a/#/b\"}\n    action: look\n"),
            "sophia.yaml:2:19: key 'triggers[0].mqtt.topic': invalid topic filter 'a/#/b': '#' "
            "must be the last level of a topic filter");
  EXPECT_EQ(error_of("triggers:\n  - mqtt:\n      topic: frigate/events\n      when:\n"
                     "        - type == new\n        - after.label =~ person\n    action: look\n"),
            "sophia.yaml:6:11: key 'triggers[0].mqtt.when[1]': invalid condition: condition "
            "'after.label =~ person', column 13: '=' is not an operator: compare with '=='");
  EXPECT_EQ(error_of("triggers:\n  - mqtt: {topic: x, wen: occupancy}\n    action: look\n"),
            "sophia.yaml:2:22: key 'triggers[0].mqtt.wen': unknown key 'wen' in mqtt (expected "
            "topic or when); did you mean 'when'?");
}

TEST(TriggerDefinitionTest, ActionMistakes) {
  EXPECT_EQ(error_of("triggers:\n  - name: motion\n    motion: front_door\n"),
            "sophia.yaml:2:5: key 'triggers[0].action': trigger 'motion' has no action: say what "
            "it does with `action: look` or `action: report`");
  EXPECT_EQ(error_of("triggers:\n  - motion: front_door\n"),
            "sophia.yaml:2:5: key 'triggers[0].action': trigger 'motion-front_door' has no "
            "action: say what it does with `action: look` or `action: report`");
  EXPECT_EQ(error_of("triggers:\n  - motion: front_door\n    action: lok\n"),
            "sophia.yaml:3:13: key 'triggers[0].action': unknown action 'lok' (expected look or "
            "report); did you mean 'look'?");
}

TEST(TriggerDefinitionTest, KeyNameAndOptionMistakes) {
  EXPECT_EQ(error_of("triggers:\n  - motion: x\n    action: look\n    cooldwn: 5s\n"),
            "sophia.yaml:4:5: key 'triggers[0].cooldwn': unknown key 'cooldwn' in a trigger "
            "(expected name, phrases, mqtt, schedule, motion, action, publish, cooldown or "
            "debounce); did you mean 'cooldown'?");
  EXPECT_EQ(error_of("triggers:\n  - name: Look At Me\n    motion: x\n    action: look\n"),
            "sophia.yaml:2:11: key 'triggers[0].name': expected a trigger name made of a-z, "
            "0-9, '_' and '-', got 'Look At Me'");
  EXPECT_EQ(error_of("triggers:\n  - {name: a, motion: x, action: look}\n"
                     "  - {name: a, motion: y, action: look}\n"),
            "sophia.yaml:3:12: key 'triggers[1].name': duplicate trigger name 'a' (first used at "
            "line 2)");
  EXPECT_EQ(error_of("triggers:\n  - {motion: x, action: look}\n"
                     "  - {name: motion-x, motion: y, action: look}\n"),
            "sophia.yaml:3:12: key 'triggers[1].name': duplicate trigger name 'motion-x' (first "
            "used at line 2)");
  EXPECT_EQ(error_of("triggers:\n  - {motion: x, action: look, cooldown: soon}\n"),
            "sophia.yaml:2:41: key 'triggers[0].cooldown': expected a duration such as 500ms, "
            "2s, 1m");
  EXPECT_EQ(error_of("triggers:\n  - {schedule: morning, action: look, debounce: 1s}\n"),
            "sophia.yaml:2:49: key 'triggers[0].debounce': debounce applies to mqtt and motion "
            "triggers only (a schedule has no state that could hold)");
  EXPECT_EQ(error_of("triggers:\n  - {motion: x, action: look, publish: {topic: seer/#}}\n"),
            "sophia.yaml:2:48: key 'triggers[0].publish.topic': expected a concrete MQTT topic "
            "(no '+' or '#'), got 'seer/#'");
  EXPECT_EQ(error_of("triggers:\n  - {motion: x, action: look, publish: {topic: a, qos: 3}}\n"),
            "sophia.yaml:2:56: key 'triggers[0].publish.qos': qos must be 0, 1 or 2");
  EXPECT_EQ(error_of("triggers:\n  - {motion: x, action: look, publish: {retain: true}}\n"),
            "sophia.yaml:2:31: key 'triggers[0].publish.topic': missing required key: the MQTT "
            "topic to publish on");
  EXPECT_EQ(error_of("triggers: {motion: x}\n"),
            "sophia.yaml:1:1: key 'triggers': expected a list of triggers");
  EXPECT_EQ(error_of("triggers:\n  - look at me\n"),
            "sophia.yaml:2:5: key 'triggers[0]': expected a map such as {phrases: [look at me], "
            "action: look}");
}

}  // namespace
}  // namespace seer::agents
