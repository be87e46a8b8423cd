// Bus-driven triggers on a real Bus: MQTT conditions, schedules, motion, cooldown and
// debounce with real (short) time, and stop().

#include "event_collector.hpp"
#include "trigger_test_support.hpp"

#include <seer/executor.hpp>

#include <gtest/gtest.h>

namespace seer::agents::test {
namespace {

using Clock = std::chrono::steady_clock;

class TriggerSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    subscription = bus.subscribe("agents/sophia/trigger", published.handler());
  }

  std::unique_ptr<TriggerSet> start(const std::string& yaml) {
    auto triggers =
        std::make_unique<TriggerSet>("sophia", definitions_from(yaml), bus, fired.handler());
    triggers->start();
    return triggers;
  }

  Executor executor{2};
  Bus bus{executor};
  seer::test::EventCollector published;
  Subscription subscription;
  FiredLog fired;
};

const char kFrigatePerson[] = R"(triggers:
  - name: person
    mqtt:
      topic: frigate/events
      when: [type == new, after.label == person, after.score >= 0.7]
    action: report
    publish: {topic: seer/sophia/report, retain: true}
)";

std::string frigate(std::string_view type, std::string_view label, double score) {
  return R"({"type": ")" + std::string(type) + R"(", "before": {}, "after": {"label": ")" +
         std::string(label) + R"(", "score": )" + std::to_string(score) + "}}";
}

TEST_F(TriggerSetTest, MqttTriggerFiresWhenEveryConditionHolds) {
  auto triggers = start(kFrigatePerson);
  publish_mqtt_in(bus, "frigate/events", frigate("update", "person", 0.9));
  publish_mqtt_in(bus, "frigate/events", frigate("new", "car", 0.9));
  publish_mqtt_in(bus, "frigate/events", frigate("new", "person", 0.5));
  publish_mqtt_in(bus, "frigate/other", frigate("new", "person", 0.9));
  publish_mqtt_in(bus, "frigate/events", frigate("new", "person", 0.8));
  publish_mqtt_in(bus, "frigate/events", R"("not an object")");
  publish_mqtt_in(bus, "frigate/events", frigate("new", "person", 0.95));
  ASSERT_TRUE(fired.wait_for(2));
  ASSERT_TRUE(published.wait_for(2));

  const std::vector<TriggerFired> firings = fired.fired();
  ASSERT_EQ(firings.size(), 2u);
  const TriggerFired& first = firings[0];
  EXPECT_EQ(first.agent, "sophia");
  EXPECT_EQ(first.trigger, "person");
  EXPECT_EQ(first.action, "report");
  EXPECT_EQ(first.source, TriggerSource::mqtt);
  EXPECT_EQ(first.topic, "mqtt/in/frigate/events");
  EXPECT_EQ(first.detail.at("topic").as_string(), "frigate/events");
  EXPECT_DOUBLE_EQ(first.detail.at("payload").at("after").at("score").as_double(), 0.8);
  ASSERT_TRUE(first.publish.has_value());
  EXPECT_EQ(first.publish->topic, "seer/sophia/report");
  EXPECT_TRUE(first.publish->retain);
  EXPECT_DOUBLE_EQ(firings[1].detail.at("payload").at("after").at("score").as_double(), 0.95);
  EXPECT_EQ(triggers->fired(), 2u);

  const boost::json::object& json = published.events()[0]->payload.as_object();
  EXPECT_EQ(json.at("agent").as_string(), "sophia");
  EXPECT_EQ(json.at("trigger").as_string(), "person");
  EXPECT_EQ(json.at("action").as_string(), "report");
  EXPECT_EQ(json.at("source").as_string(), "mqtt");
  EXPECT_EQ(json.at("topic").as_string(), "mqtt/in/frigate/events");
  EXPECT_EQ(json.at("publish").at("topic").as_string(), "seer/sophia/report");
  EXPECT_EQ(json.at("publish").at("qos").as_int64(), 1);
  EXPECT_EQ(json.at("time").as_string().size(), std::string("2024-05-01T12:00:42.001Z").size());
  EXPECT_EQ(json.at("time").as_string().back(), 'Z');
  EXPECT_GT(json.at("unix_ms").as_int64(), 1'700'000'000'000);
}

TEST_F(TriggerSetTest, RetainedMessagesAreThePastAndDoNotFire) {
  auto triggers = start("triggers:\n  - {mqtt: {topic: hall, when: occupancy}, action: look}\n");
  publish_mqtt_in(bus, "hall", R"({"occupancy": true})", true);
  publish_mqtt_in(bus, "hall", R"({"occupancy": true, "n": 2})");
  ASSERT_TRUE(fired.wait_for(1));
  EXPECT_EQ(fired.fired()[0].detail.at("payload").at("n").as_int64(), 2);
}

TEST_F(TriggerSetTest, WildcardTopicsAndPlainTextPayloads) {
  auto triggers = start(R"(triggers:
  - {name: occupied, mqtt: {topic: "zigbee2mqtt/+", when: occupancy == true}, action: look}
  - {name: frigate-online, mqtt: {topic: frigate/available, when: $ == online}, action: report}
)");
  publish_mqtt_in(bus, "zigbee2mqtt/kitchen", R"({"occupancy": false})");
  publish_mqtt_in(bus, "zigbee2mqtt/hall", R"({"occupancy": true})");
  publish_mqtt_in(bus, "frigate/available", R"("offline")");
  publish_mqtt_in(bus, "frigate/available", R"("online")");
  ASSERT_TRUE(fired.wait_for(2));
  std::vector<std::string> topics;
  for (const TriggerFired& firing : fired.fired()) topics.push_back(firing.topic);
  std::sort(topics.begin(), topics.end());
  EXPECT_EQ(topics,
            (std::vector<std::string>{"mqtt/in/frigate/available", "mqtt/in/zigbee2mqtt/hall"}));
}

TEST_F(TriggerSetTest, SchedulesAndMotionStartFireOnTheBusThreads) {
  auto triggers = start(R"(triggers:
  - {schedule: morning, action: report}
  - {motion: front_door, action: look}
)");
  bus.publish("clock/schedule/evening", boost::json::object{{"name", "evening"}});
  publish_motion(bus, "front_door", "stop");
  publish_motion(bus, "back_door", "start");
  bus.publish("clock/schedule/morning", boost::json::object{{"name", "morning"}}, "clock", 77);
  publish_motion(bus, "front_door", "start");
  ASSERT_TRUE(fired.wait_for(2));
  ASSERT_TRUE(published.wait_for(2));
  std::map<std::string, TriggerFired> by_trigger;
  for (const TriggerFired& firing : fired.fired()) by_trigger.emplace(firing.trigger, firing);
  ASSERT_EQ(by_trigger.size(), 2u);
  const TriggerFired& schedule = by_trigger.at("schedule-morning");
  EXPECT_EQ(schedule.source, TriggerSource::schedule);
  EXPECT_EQ(schedule.topic, "clock/schedule/morning");
  EXPECT_EQ(schedule.detail.at("name").as_string(), "morning");
  EXPECT_EQ(schedule.trace_id, 77u);  // the cause's trace carries on
  const TriggerFired& motion = by_trigger.at("motion-front_door");
  EXPECT_EQ(motion.source, TriggerSource::motion);
  EXPECT_EQ(motion.detail.at("state").as_string(), "start");
  for (const std::thread::id thread : fired.threads()) {
    EXPECT_NE(thread, std::this_thread::get_id());
  }
}

TEST_F(TriggerSetTest, CooldownSuppressesUntilItHasPassed) {
  auto triggers = start(
      "triggers:\n  - {mqtt: {topic: hall, when: occupancy}, action: look, cooldown: 400ms}\n");
  for (int i = 0; i < 3; ++i) publish_mqtt_in(bus, "hall", R"({"occupancy": true})");
  ASSERT_TRUE(fired.wait_for(1));
  ASSERT_TRUE(eventually([&] { return triggers->suppressed() == 2; }));
  EXPECT_EQ(fired.size(), 1u);
  std::this_thread::sleep_for(450ms);
  publish_mqtt_in(bus, "hall", R"({"occupancy": true})");
  ASSERT_TRUE(fired.wait_for(2));
  EXPECT_EQ(triggers->fired(), 2u);
  EXPECT_EQ(triggers->suppressed(), 2u);
}

TEST_F(TriggerSetTest, DebounceFiresOnceTheConditionHeldAndRepeatsDoNotRestartIt) {
  auto triggers = start("triggers:\n  - {motion: porch, action: look, debounce: 800ms}\n");
  const Clock::time_point began = Clock::now();
  publish_motion(bus, "porch", "start");
  std::this_thread::sleep_for(250ms);
  publish_motion(bus, "porch", "start");
  std::this_thread::sleep_for(250ms);
  publish_motion(bus, "porch", "start");
  EXPECT_EQ(fired.size(), 0u) << "fired before the debounce passed";
  ASSERT_TRUE(fired.wait_for(1));
  const auto elapsed = Clock::now() - began;
  EXPECT_GE(elapsed, 800ms);
  // A restart at the last start would fire at 1300 ms at the earliest.
  EXPECT_LT(elapsed, 1250ms) << "a repeated start restarted the debounce";
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(fired.size(), 1u);
}

TEST_F(TriggerSetTest, ANonMatchingMessageOnTheSameTopicCancelsTheDebounce) {
  auto triggers = start(R"(triggers:
  - {mqtt: {topic: "zigbee2mqtt/+", when: occupancy == true}, action: look, debounce: 300ms}
  - {motion: porch, action: look, debounce: 300ms}
)");
  publish_mqtt_in(bus, "zigbee2mqtt/hall", R"({"occupancy": true})");
  publish_mqtt_in(bus, "zigbee2mqtt/kitchen", R"({"occupancy": true})");
  publish_motion(bus, "porch", "start");
  std::this_thread::sleep_for(100ms);
  publish_mqtt_in(bus, "zigbee2mqtt/hall", R"({"occupancy": false})");
  publish_motion(bus, "porch", "stop");
  ASSERT_TRUE(fired.wait_for(1));  // the kitchen, whose occupancy held
  std::this_thread::sleep_for(400ms);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired.fired()[0].detail.at("topic").as_string(), "zigbee2mqtt/kitchen");

  // Held again, uninterrupted this time: the firing carries the newest message.
  publish_mqtt_in(bus, "zigbee2mqtt/hall", R"({"occupancy": true, "n": 1})");
  publish_mqtt_in(bus, "zigbee2mqtt/hall", R"({"occupancy": true, "n": 2})");
  ASSERT_TRUE(fired.wait_for(2));
  EXPECT_EQ(fired.fired()[1].detail.at("topic").as_string(), "zigbee2mqtt/hall");
  EXPECT_EQ(fired.fired()[1].detail.at("payload").at("n").as_int64(), 2);
}

TEST_F(TriggerSetTest, StopCancelsPendingDebouncesAndNothingFiresAfterIt) {
  auto triggers = start(R"(triggers:
  - {motion: porch, action: look, debounce: 200ms}
  - {schedule: morning, action: report}
)");
  publish_motion(bus, "porch", "start");
  bus.publish("clock/schedule/morning", boost::json::object{});
  ASSERT_TRUE(fired.wait_for(1));
  triggers->stop();
  const std::size_t published_at_stop = published.size();
  bus.publish("clock/schedule/morning", boost::json::object{});
  publish_motion(bus, "porch", "start");
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(fired.size(), 1u);
  EXPECT_EQ(published.size(), published_at_stop);
  EXPECT_EQ(triggers->fired(), 1u);
  triggers->start();  // a stopped set stays stopped
  bus.publish("clock/schedule/morning", boost::json::object{});
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(fired.size(), 1u);
}

TEST_F(TriggerSetTest, DestroyingTheSetUnsubscribes) {
  const std::size_t before = bus.subscriber_count();
  {
    auto triggers = start(R"(triggers:
  - {motion: porch, action: look, debounce: 10s}
  - {schedule: morning, action: report}
)");
    EXPECT_EQ(bus.subscriber_count(), before + 2);
    publish_motion(bus, "porch", "start");
  }
  EXPECT_EQ(bus.subscriber_count(), before);
}

TEST_F(TriggerSetTest, AHandlerThatThrowsDoesNotStopLaterFirings) {
  std::atomic<int> calls{0};
  TriggerSet triggers("sophia", definitions_from("triggers:\n  - {schedule: tick, action: look}\n"),
                      bus, [&](const TriggerFired&) {
                        ++calls;
                        throw std::runtime_error("handler failed");
                      });
  triggers.start();
  bus.publish("clock/schedule/tick", boost::json::object{});
  bus.publish("clock/schedule/tick", boost::json::object{});
  ASSERT_TRUE(eventually([&] { return calls == 2; }));
  EXPECT_EQ(triggers.fired(), 2u);
}

TEST_F(TriggerSetTest, AgentNameMustBeATopicLevel) {
  EXPECT_THROW(TriggerSet("a/b", {}, bus, {}), std::invalid_argument);
  EXPECT_THROW(TriggerSet("", {}, bus, {}), std::invalid_argument);
  EXPECT_THROW(TriggerSet("a+", {}, bus, {}), std::invalid_argument);
  EXPECT_EQ(TriggerSet("sophia", {}, bus, {}).event_topic(), "agents/sophia/trigger");
}

}  // namespace
}  // namespace seer::agents::test
