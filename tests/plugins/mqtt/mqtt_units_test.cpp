// The mqtt plugin's pieces without a broker: settings, the offline queue, the bus ↔ MQTT
// mapping and the Home Assistant discovery payloads.

#include "home_assistant_discovery.hpp"
#include "message_mapping.hpp"
#include "mqtt_settings.hpp"
#include "outgoing_queue.hpp"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cstdlib>
#include <string>

namespace seer::mqtt {
namespace {

ConfigNode yaml(std::string_view text) { return ConfigNode::load_string(text, "mqtt.yaml"); }

std::string settings_error(std::string_view text) {
  try {
    read_mqtt_settings(yaml(text));
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

// ---- settings -----------------------------------------------------------------------------

TEST(MqttSettings, DefaultsFollowTheNodeName) {
  const MqttSettings settings = read_mqtt_settings(yaml("node_name: kitchen\n"));
  EXPECT_EQ(settings.host, "127.0.0.1");
  EXPECT_EQ(settings.port, 1883);
  EXPECT_EQ(settings.client_id, "seer-kitchen");
  EXPECT_EQ(settings.availability_topic, "seer/kitchen/status");
  EXPECT_EQ(settings.discovery.node_id, "kitchen");
  EXPECT_EQ(settings.discovery.prefix, "homeassistant");
  EXPECT_EQ(settings.keepalive, std::chrono::seconds(60));
  EXPECT_FALSE(settings.clean_session);
  EXPECT_EQ(settings.qos, 1);
  EXPECT_EQ(settings.offline_queue, 1000u);
  EXPECT_FALSE(settings.tls.enabled);
  EXPECT_EQ(broker_address(settings), "mqtt://127.0.0.1:1883");
}

TEST(MqttSettings, DefaultNodeNameIsTheHostNameAsAnId) {
  const std::string name = default_node_name();
  ASSERT_FALSE(name.empty());
  EXPECT_EQ(
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"),
      std::string::npos);
  EXPECT_EQ(read_mqtt_settings(yaml("port: 1883\n")).client_id, "seer-" + name);
}

TEST(MqttSettings, SubscriptionsTakeFiltersAndQos) {
  const MqttSettings settings = read_mqtt_settings(
      yaml("qos: 0\nsubscriptions:\n  - topic: frigate/events\n    qos: 2\n  - topic: "
           "zigbee2mqtt/+/availability\n"));
  ASSERT_EQ(settings.subscriptions.size(), 2u);
  EXPECT_EQ(settings.subscriptions[0].filter, "frigate/events");
  EXPECT_EQ(settings.subscriptions[0].qos, 2);
  EXPECT_EQ(settings.subscriptions[1].qos, 0);  // the default qos
}

TEST(MqttSettings, MistakesAreLocatedErrors) {
  EXPECT_NE(settings_error("port: 70000\n").find("port must be within 1-65535"), std::string::npos);
  EXPECT_NE(settings_error("qos: 3\n").find("qos must be 0, 1 or 2"), std::string::npos);
  EXPECT_NE(settings_error("subscriptions:\n  - topic: a/#/b\n").find("invalid topic filter"),
            std::string::npos);
  EXPECT_NE(settings_error("node_name: has space\n").find("node_name"), std::string::npos);
  EXPECT_NE(settings_error("reconnect: {initial: 10s, max: 2s}\n").find("max must not be shorter"),
            std::string::npos);
  EXPECT_NE(settings_error("tls: {ca_file: /no/such/ca.pem}\n").find("/no/such/ca.pem"),
            std::string::npos);
  EXPECT_NE(settings_error("tls: {cert_file: /etc/hostname}\n").find("give both or neither"),
            std::string::npos);
  EXPECT_NE(settings_error("discovery:\n  entities:\n    - {component: sensor}\n")
                .find("entity has no 'object_id'"),
            std::string::npos);
  EXPECT_NE(settings_error("offline_queue: -1\n").find("offline_queue"), std::string::npos);
}

TEST(MqttSettings, CredentialsComeFromTheEnvironmentAndAreNeverEchoed) {
  ::setenv("SEER_UNIT_MQTT_USER", "alice", 1);
  ::setenv("SEER_UNIT_MQTT_PASSWORD", "hunter2-secret", 1);
  const MqttSettings settings = read_mqtt_settings(
      yaml("username_env: SEER_UNIT_MQTT_USER\npassword_env: SEER_UNIT_MQTT_PASSWORD\n"));
  EXPECT_EQ(settings.username, "alice");
  EXPECT_EQ(settings.password.value, "hunter2-secret");

  const std::string missing = settings_error("username_env: SEER_UNIT_MQTT_NOT_SET\n");
  EXPECT_NE(missing.find("environment variable SEER_UNIT_MQTT_NOT_SET"), std::string::npos)
      << missing;

  // A password written into the file (even through ${VAR}) is refused without echoing it.
  const std::string literal = settings_error("password: ${SEER_UNIT_MQTT_PASSWORD}\n");
  EXPECT_NE(literal.find("password_env"), std::string::npos) << literal;
  EXPECT_EQ(literal.find("hunter2-secret"), std::string::npos) << literal;
  EXPECT_NE(settings_error("password_env: SEER_UNIT_MQTT_PASSWORD\n").find("needs username_env"),
            std::string::npos);
}

TEST(MqttSettings, TheReadmeExampleValidatesCleanly) {
  ::setenv("SEER_MQTT_USER", "user", 1);
  ::setenv("SEER_MQTT_PASSWORD", "password", 1);
  const ConfigNode config = yaml(R"(host: broker.lan
port: 8883
node_name: livingroom
username_env: SEER_MQTT_USER
password_env: SEER_MQTT_PASSWORD
tls: {ca_file: /etc/hostname}
subscriptions:
  - {topic: frigate/events, qos: 1}
  - {topic: "zigbee2mqtt/+", qos: 0}
discovery:
  device: {name: Living room seer, suggested_area: Living room}
  entities:
    - {component: sensor, object_id: mood, name: Mood, icon: "mdi:emoticon"}
    - {component: binary_sensor, object_id: person_present, device_class: occupancy}
)");
  for (const ConfigDiagnostic& diagnostic : mqtt_config_schema().validate(config)) {
    ADD_FAILURE() << diagnostic.to_string();
  }
  const MqttSettings settings = read_mqtt_settings(config);
  EXPECT_TRUE(settings.tls.enabled);
  EXPECT_EQ(broker_address(settings), "mqtts://broker.lan:8883");
  ASSERT_EQ(settings.discovery.entities.size(), 2u);
  EXPECT_EQ(settings.discovery.device.at("suggested_area").as_string(), "Living room");
  EXPECT_FALSE(mqtt_config_schema().validate(yaml("prot: 1883\n")).empty());  // a typo warns
}

// ---- offline queue ------------------------------------------------------------------------

TEST(OutgoingQueue, KeepsOrderAndDropsTheOldestWhenFull) {
  OutgoingQueue queue(3);
  for (int i = 0; i < 5; ++i) {
    const auto dropped = queue.push({"t/" + std::to_string(i), "", 1, false});
    EXPECT_EQ(dropped.has_value(), i >= 3);
    if (dropped) {
      EXPECT_EQ(dropped->topic, "t/" + std::to_string(i - 3));
    }
  }
  EXPECT_EQ(queue.dropped(), 2u);
  queue.push_front({"back", "", 1, false});  // a message that failed to send goes first again
  std::vector<std::string> order;
  while (auto message = queue.pop()) order.push_back(message->topic);
  EXPECT_EQ(order, (std::vector<std::string>{"back", "t/2", "t/3", "t/4"}));
}

TEST(OutgoingQueue, ZeroCapacityKeepsNothing) {
  OutgoingQueue queue(0);
  EXPECT_TRUE(queue.push({"t", "", 1, false}).has_value());
  EXPECT_TRUE(queue.empty());
  EXPECT_EQ(queue.dropped(), 1u);
}

// ---- mapping ------------------------------------------------------------------------------

TEST(MessageMapping, IncomingJsonIsParsedAndTextStaysText) {
  const Event json =
      incoming_event({"zigbee2mqtt/lamp", R"({"state":"ON","brightness":12})", 1, true}, "mqtt");
  EXPECT_EQ(json.topic, "mqtt/in/zigbee2mqtt/lamp");
  EXPECT_EQ(json.source, "mqtt");
  const auto& payload = json.payload.as_object();
  EXPECT_EQ(payload.at("topic").as_string(), "zigbee2mqtt/lamp");
  EXPECT_EQ(payload.at("payload").at("brightness").as_int64(), 12);
  EXPECT_TRUE(payload.at("retained").as_bool());
  EXPECT_EQ(payload.at("qos").as_int64(), 1);

  const Event text = incoming_event({"frigate/available", "online", 0, false}, "mqtt");
  EXPECT_EQ(text.payload.at("payload").as_string(), "online");
  const Event empty = incoming_event({"a/b", "", 0, false}, "mqtt");
  EXPECT_EQ(empty.payload.at("payload").as_string(), "");
}

TEST(MessageMapping, BinaryPayloadsTravelAsAnAttachment) {
  const std::string jpeg("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10);
  const Event event = incoming_event({"frigate/door/person/snapshot", jpeg, 0, false}, "mqtt");
  EXPECT_TRUE(event.payload.at("payload").is_null());
  EXPECT_TRUE(event.payload.at("binary").as_bool());
  ASSERT_EQ(event.attachments.size(), 1u);
  EXPECT_EQ(event.attachments[0].size, jpeg.size());
  EXPECT_EQ(
      std::string(reinterpret_cast<const char*>(event.attachments[0].data.get()), jpeg.size()),
      jpeg);
}

TEST(MessageMapping, EmptyTopicLevelsAreKept) {
  EXPECT_EQ(incoming_event({"a//b", "x", 0, false}, "mqtt").topic, "mqtt/in/a//b");
  EXPECT_EQ(incoming_event({"/leading", "x", 0, false}, "mqtt").topic, "mqtt/in//leading");
}

TEST(MessageMapping, Utf8Check) {
  EXPECT_TRUE(is_utf8("plain ascii"));
  EXPECT_TRUE(is_utf8("gr\xC3\xBC\xC3\x9F dich \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_utf8("\xC3"));          // cut short
  EXPECT_FALSE(is_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(is_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(is_utf8("\xFF"));
}

Event out_event(std::string topic, boost::json::value payload) {
  Event event;
  event.topic = std::move(topic);
  event.payload = std::move(payload);
  return event;
}

TEST(MessageMapping, OutgoingStringsAreSentAsIsAndJsonSerialized) {
  const OutgoingMessage text = outgoing_message(
      out_event("mqtt/out/cmnd/tasmota_1/POWER", {{"payload", "ON"}, {"retain", false}}), 1);
  EXPECT_EQ(text.topic, "cmnd/tasmota_1/POWER");
  EXPECT_EQ(text.payload, "ON");
  EXPECT_EQ(text.qos, 1);
  EXPECT_FALSE(text.retain);

  const OutgoingMessage json = outgoing_message(
      out_event(
          "mqtt/out/zigbee2mqtt/lamp/set",
          {{"payload", {{"state", "ON"}, {"brightness", 200}}}, {"qos", 2}, {"retain", true}}),
      1);
  EXPECT_EQ(boost::json::parse(json.payload),
            boost::json::parse(R"({"state":"ON","brightness":200})"));
  EXPECT_EQ(json.qos, 2);
  EXPECT_TRUE(json.retain);

  const OutgoingMessage empty =
      outgoing_message(out_event("mqtt/out/a/b", boost::json::object{}), 0);
  EXPECT_EQ(empty.payload, "");
}

TEST(MessageMapping, BadOutgoingEventsSayWhatIsWrong) {
  auto error = [](Event event) {
    try {
      outgoing_message(event, 1);
    } catch (const std::invalid_argument& invalid) {
      return std::string(invalid.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(error(out_event("mqtt/out/a", {{"qos", 3}})).find("qos must be 0, 1 or 2"),
            std::string::npos);
  EXPECT_NE(error(out_event("mqtt/out/a", {{"retain", "yes"}})).find("retain must be a boolean"),
            std::string::npos);
  EXPECT_NE(error(out_event("mqtt/out/a", "ON")).find("payload must be an object"),
            std::string::npos);
}

// ---- Home Assistant discovery -------------------------------------------------------------

DiscoveryOrigin origin() {
  DiscoveryOrigin origin;
  origin.node_id = "livingroom";
  origin.availability_topic = "seer/livingroom/status";
  origin.device = {{"name", "Living room seer"}};
  origin.software_version = "1.0.0";
  return origin;
}

TEST(HomeAssistantDiscovery, FillsInWhatAnEntityLeavesOut) {
  const DiscoveryEntity mood = discovery_entity_from_json(boost::json::parse(
      R"({"component":"sensor","object_id":"mood","name":"Mood","icon":"mdi:emoticon"})"));
  EXPECT_EQ(discovery_topic(origin(), mood), "homeassistant/sensor/livingroom/mood/config");
  const boost::json::object config = discovery_config(origin(), mood);
  EXPECT_EQ(config.at("name").as_string(), "Mood");
  EXPECT_EQ(config.at("icon").as_string(), "mdi:emoticon");
  EXPECT_EQ(config.at("unique_id").as_string(), "livingroom_mood");
  EXPECT_EQ(config.at("state_topic").as_string(), "seer/livingroom/mood/state");
  EXPECT_EQ(config.at("availability_topic").as_string(), "seer/livingroom/status");
  EXPECT_EQ(config.at("payload_available").as_string(), "online");
  EXPECT_EQ(config.at("payload_not_available").as_string(), "offline");
  EXPECT_FALSE(config.contains("component"));
  const auto& device = config.at("device").as_object();
  EXPECT_EQ(device.at("identifiers").as_array().at(0).as_string(), "seer_livingroom");
  EXPECT_EQ(device.at("name").as_string(), "Living room seer");  // configured over the default
  EXPECT_EQ(device.at("sw_version").as_string(), "1.0.0");
}

TEST(HomeAssistantDiscovery, GivenFieldsWinAndButtonsHaveNoState) {
  const DiscoveryEntity person = discovery_entity_from_json(boost::json::parse(
      R"({"component":"binary_sensor","object_id":"person_present","unique_id":"custom",
          "state_topic":"home/person","device_class":"occupancy"})"));
  const boost::json::object config = discovery_config(origin(), person);
  EXPECT_EQ(config.at("unique_id").as_string(), "custom");
  EXPECT_EQ(config.at("state_topic").as_string(), "home/person");
  EXPECT_EQ(config.at("name").as_string(), "person_present");

  const DiscoveryEntity button = discovery_entity_from_json(boost::json::parse(
      R"({"component":"button","object_id":"describe_now","command_topic":"seer/cmd/describe"})"));
  EXPECT_FALSE(discovery_config(origin(), button).contains("state_topic"));
}

TEST(HomeAssistantDiscovery, EntitiesAreChecked) {
  EXPECT_THROW(discovery_entity_from_json(boost::json::parse(R"({"object_id":"x"})")),
               std::invalid_argument);
  EXPECT_THROW(
      discovery_entity_from_json(boost::json::parse(R"({"component":"Sensor!","object_id":"x"})")),
      std::invalid_argument);
  EXPECT_THROW(
      discovery_entity_from_json(boost::json::parse(R"({"component":"sensor","object_id":"a/b"})")),
      std::invalid_argument);
  EXPECT_THROW(discovery_entity_from_json(boost::json::parse(R"([1])")), std::invalid_argument);
}

TEST(HomeAssistantDiscovery, RegistryReplacesByComponentAndObjectId) {
  DiscoveryRegistry registry;
  auto entity = [](const char* json) {
    return discovery_entity_from_json(boost::json::parse(json));
  };
  EXPECT_TRUE(registry.add(entity(R"({"component":"sensor","object_id":"mood"})")));
  EXPECT_FALSE(registry.add(entity(R"({"component":"sensor","object_id":"mood"})")));
  EXPECT_TRUE(registry.add(entity(R"({"component":"sensor","object_id":"mood","name":"Mood"})")));
  EXPECT_TRUE(registry.add(entity(R"({"component":"text","object_id":"mood"})")));
  EXPECT_EQ(registry.entities().size(), 2u);
  EXPECT_TRUE(registry.remove("sensor", "mood").has_value());
  EXPECT_FALSE(registry.remove("sensor", "mood").has_value());
  EXPECT_EQ(registry.entities().size(), 1u);
}

}  // namespace
}  // namespace seer::mqtt
