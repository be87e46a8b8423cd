// Agents and a real mosquitto broker, with mosquitto_pub / mosquitto_sub as independent
// clients: MQTT triggers, lights, reports that outlive a broker restart, Home Assistant.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <thread>

#include "agent_test_support.hpp"
#include "event_collector.hpp"
#include "mosquitto_broker.hpp"

namespace seer::agents::test {
namespace {

using namespace std::chrono_literals;
using seer::test::EventCollector;
using seer::test::MosquittoBroker;
using seer::test::MosquittoSubscriber;
using ::testing::HasSubstr;

std::string mqtt_yaml(const MosquittoBroker& broker) {
  return "  mqtt:\n    host: 127.0.0.1\n    port: " + std::to_string(broker.port()) +
         "\n    node_name: house\n"
         "    reconnect: {initial: 1s, max: 2s}\n";
}

std::string security_agent_yaml() {
  return "  - name: security-cam\n"
         "    vision: {services: {camera: webcam}, freshness: 0s}\n"
         "    home_assistant: false\n"
         "    triggers:\n"
         "      - name: hallway_sensor\n"
         "        mqtt: {topic: zigbee2mqtt/hallway_motion, when: occupancy == true}\n"
         "        cooldown: 60s\n"
         "        action: report\n"
         "        publish: {topic: seer/security-cam/scene, qos: 1}\n"
         "      - name: door_camera\n"
         "        motion: {camera: webcam}\n"
         "        action: report\n"
         "        publish: {topic: seer/security-cam/scene, qos: 1}\n";
}

std::string document(const MosquittoBroker& broker, const std::string& agents) {
  return "seer: {log: {level: error}}\nplugins:\n" + camera_and_faces_yaml() + mqtt_yaml(broker) +
         "agents:\n" + agents;
}

// Waits until the mqtt plugin is connected (its health is ready).
void wait_until_connected(AgentWorld& world) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    for (const PluginStatus& status : world.runtime().status()) {
      if (status.instance == "mqtt" && status.health.state == HealthState::ready) return;
    }
    std::this_thread::sleep_for(50ms);
  }
  FAIL() << "the mqtt plugin did not connect";
}

TEST(AgentMqtt, AMotionSensorMessageMakesTheSecurityAgentReportOnceWithinItsCooldown) {
  MosquittoBroker broker;
  AgentWorld world(document(broker, security_agent_yaml()));
  wait_until_connected(world);
  MosquittoSubscriber scenes(broker, {"seer/security-cam/scene"});

  publish_with_mosquitto_pub(broker, "zigbee2mqtt/hallway_motion", R"({"occupancy": false})");
  // The agent asked the mqtt plugin to subscribe when it started; until the broker has the
  // subscription, sensor messages go nowhere, so the sensor repeats itself until one lands.
  const auto started = std::chrono::steady_clock::now();
  while (!scenes.wait_for(1, 300ms) && std::chrono::steady_clock::now() - started < 15s) {
    publish_with_mosquitto_pub(broker, "zigbee2mqtt/hallway_motion",
                               R"({"occupancy": true, "battery": 97})");
  }
  ASSERT_EQ(scenes.messages().size(), 1u) << scenes.output();
  const auto message = scenes.messages()[0];
  EXPECT_EQ(message.qos, 1);
  const auto scene = boost::json::parse(message.payload).as_object();
  EXPECT_EQ(scene.at("agent"), "security-cam");
  EXPECT_EQ(scene.at("trigger"), "hallway_sensor");
  EXPECT_EQ(scene.at("people"), 1);
  EXPECT_EQ(scene.at("report").at("faces").as_array().size(), 1u);

  publish_with_mosquitto_pub(broker, "zigbee2mqtt/hallway_motion", R"({"occupancy": true})");
  publish_with_mosquitto_pub(broker, "zigbee2mqtt/hallway_motion", R"({"occupancy": true})");
  EXPECT_FALSE(scenes.wait_for(2, 2s)) << "a second report inside the 60 s cooldown";
}

TEST(AgentMqtt, AReportPublishedWhileTheBrokerIsDownArrivesAfterTheReconnect) {
  MosquittoBroker broker({.log_packets = true});
  AgentWorld world(document(broker, security_agent_yaml()));
  wait_until_connected(world);
  EventCollector reports;
  auto subscription = world.bus().subscribe("agents/security-cam/vision_report", reports.handler());

  broker.stop();
  // The camera's motion event, as the camera plugin publishes it.
  world.bus().publish("camera/webcam/motion",
                      boost::json::object{{"state", "start"}, {"area", 0.05}});
  ASSERT_TRUE(reports.wait_for(1, 15s));
  std::this_thread::sleep_for(300ms);
  broker.start();

  const std::string expected = "'seer/security-cam/scene'";
  for (int attempt = 0; attempt < 100 && broker.log().find(expected) == std::string::npos;
       ++attempt) {
    std::this_thread::sleep_for(100ms);
  }
  const std::string log = broker.log();
  ASSERT_THAT(log, HasSubstr(expected)) << log;
  EXPECT_THAT(log.substr(log.find(expected) - 80, 80), HasSubstr("q1"));
}

TEST(AgentMqtt, APhraseTurnsTheZigbeeLightRed) {
  MosquittoBroker broker;
  auto model = std::make_shared<ScriptedChatModel>();
  AgentWorld world(document(broker,
                            "  - name: sophia\n"
                            "    llm: {backend: scripted}\n"
                            "    vision: {services: {camera: webcam}}\n"
                            "    home_assistant: false\n"
                            "    tools:\n"
                            "      lights:\n"
                            "        - {name: desk lamp, dialect: zigbee2mqtt, "
                            "topic: zigbee2mqtt/desk_lamp}\n"),
                   {{"scripted", model}});
  wait_until_connected(world);
  MosquittoSubscriber lamp(broker, {"zigbee2mqtt/desk_lamp/set"});
  world.agent("sophia").say({.session = "s", .text = "Sophia, turn the desk lamp red!"}, {}, {});
  const auto command = lamp.wait_for_topic("zigbee2mqtt/desk_lamp/set");
  ASSERT_TRUE(command) << lamp.output();
  EXPECT_EQ(command->payload, R"({"state":"ON","color":{"hex":"#ff0000"}})");
}

TEST(AgentMqtt, HomeAssistantEntitiesAreRetainedAndAnnouncedAgainWhenHomeAssistantIsBack) {
  MosquittoBroker broker;
  AgentWorld world(document(broker, "  - {name: sophia, vision: {services: {camera: webcam}}}\n"));
  wait_until_connected(world);
  const std::string mood_config = "homeassistant/sensor/house/sophia_mood/config";
  std::optional<seer::test::ReceivedMessage> retained;
  for (int attempt = 0; attempt < 50 && !retained; ++attempt) {
    retained = seer::test::read_retained(broker, mood_config);
    if (!retained) std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(retained);
  const auto config = boost::json::parse(retained->payload).as_object();
  EXPECT_EQ(config.at("state_topic"), "seer/sophia/mood");
  EXPECT_TRUE(seer::test::read_retained(
      broker, "homeassistant/binary_sensor/house/sophia_person_present/config"));

  MosquittoSubscriber configs(broker, {"homeassistant/+/house/+/config"});
  ASSERT_TRUE(configs.wait_for(3)) << "the retained configs";
  publish_with_mosquitto_pub(broker, "homeassistant/status", "online");
  EXPECT_TRUE(configs.wait_for(6)) << configs.output();

  // A look publishes the states the entities show.
  world.agent("sophia").look({});
  const auto person = [&] {
    std::optional<seer::test::ReceivedMessage> found;
    for (int attempt = 0; attempt < 50 && !found; ++attempt) {
      found = seer::test::read_retained(broker, "seer/sophia/person");
      if (!found) std::this_thread::sleep_for(100ms);
    }
    return found;
  }();
  ASSERT_TRUE(person);
  EXPECT_EQ(person->payload, "ON");
}

}  // namespace
}  // namespace seer::agents::test
