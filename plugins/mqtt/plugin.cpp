#include "mqtt_plugin.hpp"

SEER_PLUGIN(seer::mqtt::MqttPlugin, "mqtt", seer::mqtt::kPluginVersion,
            "Bridges the bus and an MQTT broker: subscriptions, publishing, availability, "
            "Home Assistant discovery")
