#pragma once
// Home Assistant MQTT discovery: the retained config message for each entity we announce
// (`<prefix>/<component>/<node_id>/<object_id>/config`), and the set of entities announced.
//
// An entity is given as JSON: {"component": "sensor", "object_id": "mood", "name": "Mood",
// ...any other HA config keys...}. What it leaves out is filled in: unique_id, name,
// state_topic (not for buttons), availability_topic and the device block.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace seer::mqtt {

struct DiscoveryEntity {
  std::string component;  // sensor, binary_sensor, text, ...
  std::string object_id;
  boost::json::object config;  // the given keys, without component and object_id
};

// Throws std::invalid_argument naming the missing or malformed field.
DiscoveryEntity discovery_entity_from_json(const boost::json::value& json);

// What every config message shares.
struct DiscoveryOrigin {
  std::string prefix = "homeassistant";
  std::string node_id;
  std::string availability_topic;
  boost::json::object device;  // configured device fields, over our defaults
  std::string software_version;
};

std::string discovery_topic(const DiscoveryOrigin& origin, const DiscoveryEntity& entity);
// The state topic the entity ends up with (given, or "seer/<node_id>/<object_id>/state").
std::string default_state_topic(const DiscoveryOrigin& origin, const DiscoveryEntity& entity);
boost::json::object discovery_config(const DiscoveryOrigin& origin, const DiscoveryEntity& entity);
// HA announces itself on `<prefix>/status`.
std::string home_assistant_status_topic(const DiscoveryOrigin& origin);

// The entities announced, in registration order; one per (component, object_id).
class DiscoveryRegistry {
 public:
  // Adds or replaces; false when an identical entity was already there.
  bool add(DiscoveryEntity entity);
  // The removed entity, if there was one.
  std::optional<DiscoveryEntity> remove(const std::string& component, const std::string& object_id);
  const std::vector<DiscoveryEntity>& entities() const { return entities_; }
  bool empty() const { return entities_.empty(); }

 private:
  std::vector<DiscoveryEntity> entities_;
};

}  // namespace seer::mqtt
