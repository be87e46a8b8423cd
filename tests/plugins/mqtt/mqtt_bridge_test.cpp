// The mqtt plugin against a real mosquitto: subscriptions become mqtt/in events, mqtt/out
// events become messages, the availability topic, and Home Assistant discovery.

#include "event_collector.hpp"
#include "mqtt_test_support.hpp"

#include <boost/json.hpp>

#include <set>

namespace seer::mqtt::test {
namespace {

const EventPtr* find_event(const std::vector<EventPtr>& events, const std::string& topic) {
  for (const EventPtr& event : events) {
    if (event->topic == topic) return &event;
  }
  return nullptr;
}

TEST_F(MqttPluginTest, SubscribedMessagesBecomeBusEventsWithParsedJson) {
  MosquittoBroker broker;
  seer::test::publish_with_mosquitto_pub(broker, "sensors/hall", "42", 1, true);  // retained
  seer::test::EventCollector received;
  Subscription subscription = bus.subscribe("mqtt/in/#", received.handler());
  start_plugin(
      config_for(broker, "subscriptions:\n  - topic: sensors/#\n    qos: 1\n  - topic: plain/+\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  ASSERT_TRUE(received.wait_for(1)) << "the retained message did not arrive";

  seer::test::publish_with_mosquitto_pub(broker, "unsubscribed/x", "ignored", 1);
  seer::test::publish_with_mosquitto_pub(broker, "sensors/kitchen",
                                         R"({"temperature": 21.5, "unit": "C"})", 1);
  seer::test::publish_with_mosquitto_pub(broker, "plain/door", "open", 0);
  // Not UTF-8: a JPEG's first bytes.
  seer::test::publish_with_mosquitto_pub(broker, "sensors/camera/snapshot",
                                         "\xFF\xD8\xFF\xE0JFIF\xFF", 1);
  ASSERT_TRUE(received.wait_for(4)) << received.size() << " events";

  const std::vector<EventPtr> events = received.events();
  const EventPtr* hall = find_event(events, "mqtt/in/sensors/hall");
  ASSERT_NE(hall, nullptr);
  EXPECT_EQ((*hall)->payload.at("payload").as_int64(), 42);
  EXPECT_TRUE((*hall)->payload.at("retained").as_bool());
  EXPECT_EQ((*hall)->source, "mqtt");

  const EventPtr* kitchen = find_event(events, "mqtt/in/sensors/kitchen");
  ASSERT_NE(kitchen, nullptr);
  EXPECT_EQ((*kitchen)->payload.at("topic").as_string(), "sensors/kitchen");
  EXPECT_DOUBLE_EQ((*kitchen)->payload.at("payload").at("temperature").as_double(), 21.5);
  EXPECT_EQ((*kitchen)->payload.at("payload").at("unit").as_string(), "C");
  EXPECT_FALSE((*kitchen)->payload.at("retained").as_bool());
  EXPECT_EQ((*kitchen)->payload.at("qos").as_int64(), 1);

  const EventPtr* door = find_event(events, "mqtt/in/plain/door");
  ASSERT_NE(door, nullptr);
  EXPECT_EQ((*door)->payload.at("payload").as_string(), "open");
  EXPECT_EQ((*door)->payload.at("qos").as_int64(), 0);

  const EventPtr* camera = find_event(events, "mqtt/in/sensors/camera/snapshot");
  ASSERT_NE(camera, nullptr);
  EXPECT_TRUE((*camera)->payload.at("binary").as_bool());
  ASSERT_EQ((*camera)->attachments.size(), 1u);
  EXPECT_EQ((*camera)->attachments[0].size, 9u);

  EXPECT_EQ(find_event(events, "mqtt/in/unsubscribed/x"), nullptr);
  EXPECT_EQ(plugin.statistics().received, 4u);
}

TEST_F(MqttPluginTest, SubscribeEventsAddSubscriptionsThatSurviveAReconnect) {
  MosquittoBroker broker;
  seer::test::EventCollector received;
  Subscription subscription = bus.subscribe("mqtt/in/#", received.handler());
  start_plugin(config_for(broker, "reconnect: {initial: 1s, max: 1s}\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();

  bus.publish("mqtt/subscribe", boost::json::object{{"topic", "late/#"}, {"qos", 1}});
  bus.publish("mqtt/subscribe", boost::json::object{{"topic", "bad/#/filter"}});  // logged only
  // The subscription is made on the plugin's strand; retry until the broker routes to it.
  for (int attempt = 0; attempt < 50 && received.size() == 0; ++attempt) {
    seer::test::publish_with_mosquitto_pub(broker, "late/first", "1", 1);
    received.wait_for(1, std::chrono::milliseconds(100));
  }
  ASSERT_GE(received.size(), 1u);
  EXPECT_EQ(received.events()[0]->topic, "mqtt/in/late/first");

  broker.stop();
  ASSERT_TRUE(health_history.wait_for(HealthState::degraded)) << health_history.reasons();
  broker.start();
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  const std::size_t before = received.size();
  for (int attempt = 0; attempt < 50 && received.size() == before; ++attempt) {
    seer::test::publish_with_mosquitto_pub(broker, "late/second", "2", 1);
    received.wait_for(before + 1, std::chrono::milliseconds(100));
  }
  ASSERT_GT(received.size(), before) << "the subscription was not made again after the restart";
  EXPECT_EQ(received.events().back()->topic, "mqtt/in/late/second");
}

TEST_F(MqttPluginTest, OutEventsArePublishedWithExactTopicPayloadAndRetain) {
  MosquittoBroker broker;
  MosquittoSubscriber subscriber(broker, {"out/#"});
  start_plugin(config_for(broker));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();

  bus.publish("mqtt/out/out/tasmota/POWER", boost::json::object{{"payload", "ON"}, {"qos", 1}});
  bus.publish(
      "mqtt/out/out/lamp/set",
      boost::json::object{{"payload", {{"state", "ON"}, {"brightness", 128}}}, {"retain", true}});
  bus.publish("mqtt/out/out/bad", boost::json::object{{"qos", 7}});  // refused, not sent
  bus.publish("mqtt/out/out/qos0", boost::json::object{{"payload", "fire and forget"}, {"qos", 0}});
  ASSERT_TRUE(subscriber.wait_for(3)) << subscriber.output();

  const std::vector<ReceivedMessage> messages = subscriber.messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0].topic, "out/tasmota/POWER");
  EXPECT_EQ(messages[0].payload, "ON");
  EXPECT_EQ(messages[1].topic, "out/lamp/set");
  EXPECT_EQ(boost::json::parse(messages[1].payload),
            boost::json::parse(R"({"state":"ON","brightness":128})"));
  EXPECT_EQ(messages[2].topic, "out/qos0");
  EXPECT_EQ(messages[2].payload, "fire and forget");

  // Only the retained one is there for a subscriber that comes later.
  const auto retained = seer::test::read_retained(broker, "out/lamp/set");
  ASSERT_TRUE(retained.has_value());
  EXPECT_TRUE(retained->retained);
  EXPECT_EQ(retained->payload, messages[1].payload);
  EXPECT_EQ(plugin.statistics().rejected, 1u);
  EXPECT_NE(logs().find("qos must be 0, 1 or 2"), std::string::npos) << logs();
}

TEST_F(MqttPluginTest, AvailabilityIsRetainedOnlineThenOfflineAfterStop) {
  MosquittoBroker broker;
  start_plugin(config_for(broker, "availability_topic: seer/agent7/status\n"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  EXPECT_NE(health_history.history().back().reason.find("connected to mqtt://127.0.0.1:"),
            std::string::npos);

  auto status = seer::test::read_retained(broker, "seer/agent7/status");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->payload, "online");
  plugin.stop();
  status = seer::test::read_retained(broker, "seer/agent7/status");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->payload, "offline");
}

TEST_F(MqttPluginTest, DiscoveryConfigsAreRetainedAndSentAgainWhenHomeAssistantComesOnline) {
  MosquittoBroker broker;
  start_plugin(config_for(broker, R"(discovery:
  device: {name: Test seer, model: bench}
  entities:
    - {component: sensor, object_id: mood, name: Mood, icon: "mdi:emoticon"}
)"));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();

  const std::string mood_topic = "homeassistant/sensor/testnode/mood/config";
  const auto mood = seer::test::read_retained(broker, mood_topic);
  ASSERT_TRUE(mood.has_value());
  const boost::json::value config = boost::json::parse(mood->payload);
  EXPECT_EQ(config.at("unique_id").as_string(), "testnode_mood");
  EXPECT_EQ(config.at("name").as_string(), "Mood");
  EXPECT_EQ(config.at("state_topic").as_string(), "seer/testnode/mood/state");
  EXPECT_EQ(config.at("availability_topic").as_string(), "seer/testnode/status");
  EXPECT_EQ(config.at("device").at("name").as_string(), "Test seer");
  EXPECT_EQ(config.at("device").at("model").as_string(), "bench");

  // The agent runtime registers its entities over the bus.
  MosquittoSubscriber subscriber(broker, {"homeassistant/+/testnode/+/config"});
  bus.publish("mqtt/discovery/register", boost::json::object{{"component", "binary_sensor"},
                                                             {"object_id", "person_present"},
                                                             {"device_class", "occupancy"}});
  const auto person =
      subscriber.wait_for_topic("homeassistant/binary_sensor/testnode/person_present/config");
  ASSERT_TRUE(person.has_value()) << subscriber.output();
  EXPECT_EQ(boost::json::parse(person->payload).at("device_class").as_string(), "occupancy");
  const std::size_t before = subscriber.messages().size();

  // HA restarts: both configs come again.
  seer::test::publish_with_mosquitto_pub(broker, "homeassistant/status", "online");
  ASSERT_TRUE(subscriber.wait_for(before + 2)) << subscriber.output();
  std::set<std::string> again;
  const auto messages = subscriber.messages();
  for (std::size_t i = before; i < messages.size(); ++i) again.insert(messages[i].topic);
  EXPECT_EQ(again, (std::set<std::string>{
                       mood_topic, "homeassistant/binary_sensor/testnode/person_present/config"}));

  // Removing an entity clears its retained config, which deletes it in HA.
  bus.publish("mqtt/discovery/remove",
              boost::json::object{{"component", "sensor"}, {"object_id", "mood"}});
  ASSERT_TRUE(subscriber.wait_for(before + 3)) << subscriber.output();
  EXPECT_EQ(subscriber.messages().back().topic, mood_topic);
  EXPECT_EQ(subscriber.messages().back().payload, "");
}

TEST_F(MqttPluginTest, BadRegistrationsAreLoggedNotFatal) {
  MosquittoBroker broker;
  start_plugin(config_for(broker));
  ASSERT_TRUE(health_history.wait_for(HealthState::ready)) << health_history.reasons();
  bus.publish("mqtt/discovery/register", boost::json::object{{"component", "sensor"}});
  MosquittoSubscriber subscriber(broker, {"ok"});
  bus.publish("mqtt/out/ok", boost::json::object{{"payload", "still alive"}});
  ASSERT_TRUE(subscriber.wait_for(1)) << subscriber.output();
  EXPECT_NE(logs().find("entity has no 'object_id'"), std::string::npos) << logs();
}

}  // namespace
}  // namespace seer::mqtt::test
