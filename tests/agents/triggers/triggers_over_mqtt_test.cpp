// The real parts together: a mosquitto broker, the mqtt plugin bridging it to the bus, and a
// TriggerSet, fed with mosquitto_pub as Frigate and Zigbee2MQTT would publish.

#include "event_collector.hpp"
#include "mqtt_test_support.hpp"
#include "trigger_test_support.hpp"

#include <gtest/gtest.h>

namespace seer::agents::test {
namespace {

using seer::HealthState;
using seer::mqtt::test::MqttPluginTest;
using seer::test::MosquittoBroker;

const char kTriggers[] = R"(triggers:
  - name: person-at-the-door
    mqtt:
      topic: frigate/events
      when: [type == new, after.label == person]
    action: report
  - name: hall-occupied
    mqtt: {topic: "zigbee2mqtt/+", when: occupancy == true}
    action: look
    cooldown: 10s
)";

std::string frigate_event(std::string_view type, std::string_view label) {
  return R"({"type": ")" + std::string(type) +
         R"(", "before": {"id": "1607123955.475377-mxklsc", "camera": "front_door", "label": ")" +
         std::string(label) +
         R"(", "score": 0.7}, "after": {"id": "1607123955.475377-mxklsc", "camera": "front_door", )"
         R"("label": ")" +
         std::string(label) +
         R"(", "score": 0.84, "top_score": 0.84, "current_zones": ["porch"], "stationary": false}})";
}

class TriggersOverMqttTest : public MqttPluginTest {
 protected:
  FiredLog fired;
  seer::test::EventCollector published;
  Subscription published_subscription = bus.subscribe("agents/sophia/trigger", published.handler());
  TriggerSet triggers{"sophia", definitions_from(kTriggers), bus, fired.handler()};
};

TEST_F(TriggersOverMqttTest, FrigateAndZigbee2MqttMessagesFireTriggers) {
  MosquittoBroker broker;
  triggers.start();
  start_plugin(config_for(broker,
                          "subscriptions:\n  - topic: frigate/events\n"
                          "  - topic: \"zigbee2mqtt/+\"\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();

  // The update comes first; the plugin keeps the broker's order, so when the new event has
  // fired, the update has been looked at and left alone.
  seer::test::publish_with_mosquitto_pub(broker, "frigate/events",
                                         frigate_event("update", "person"));
  seer::test::publish_with_mosquitto_pub(broker, "frigate/events", frigate_event("new", "car"));
  seer::test::publish_with_mosquitto_pub(broker, "frigate/events", frigate_event("new", "person"));
  ASSERT_TRUE(fired.wait_for(1)) << logs();
  TriggerFired person = fired.fired()[0];
  EXPECT_EQ(person.trigger, "person-at-the-door");
  EXPECT_EQ(person.action, "report");
  EXPECT_EQ(person.topic, "mqtt/in/frigate/events");
  EXPECT_EQ(person.detail.at("payload").at("type").as_string(), "new");
  EXPECT_EQ(person.detail.at("payload").at("after").at("label").as_string(), "person");

  // Zigbee2MQTT's motion sensor reports twice within the cooldown: one firing.
  const std::string occupied =
      R"({"occupancy": true, "illuminance": 18, "battery": 97, "linkquality": 120})";
  seer::test::publish_with_mosquitto_pub(broker, "zigbee2mqtt/hall_sensor", occupied);
  ASSERT_TRUE(fired.wait_for(2)) << logs();
  seer::test::publish_with_mosquitto_pub(broker, "zigbee2mqtt/hall_sensor", occupied);
  ASSERT_TRUE(eventually([&] { return triggers.suppressed() == 1; })) << logs();

  const std::vector<TriggerFired> firings = fired.fired();
  ASSERT_EQ(firings.size(), 2u);
  EXPECT_EQ(firings[1].trigger, "hall-occupied");
  EXPECT_EQ(firings[1].detail.at("topic").as_string(), "zigbee2mqtt/hall_sensor");
  EXPECT_EQ(triggers.fired(), 2u);

  ASSERT_TRUE(published.wait_for(2));
  EXPECT_EQ(published.events()[0]->payload.at("trigger").as_string(), "person-at-the-door");
  EXPECT_EQ(published.events()[1]->payload.at("trigger").as_string(), "hall-occupied");
  triggers.stop();
}

}  // namespace
}  // namespace seer::agents::test
