#include "home_assistant_discovery.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <stdexcept>

namespace seer::mqtt {
namespace {

// HA accepts [a-zA-Z0-9_-] in node and object ids; components are lowercase words.
bool is_id(std::string_view text, bool lowercase_only) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    const bool lower = (c >= 'a' && c <= 'z') || c == '_';
    if (lowercase_only) return lower;
    return lower || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string required_string(const boost::json::object& json, std::string_view key) {
  const boost::json::value* value = json.if_contains(key);
  if (value == nullptr) throw std::invalid_argument("entity has no '" + std::string(key) + "'");
  if (!value->is_string()) {
    throw std::invalid_argument("entity '" + std::string(key) + "' must be a string");
  }
  return std::string(value->as_string());
}

}  // namespace

DiscoveryEntity discovery_entity_from_json(const boost::json::value& json) {
  const boost::json::object* object = json.if_object();
  if (object == nullptr) {
    throw std::invalid_argument("an entity is an object with 'component' and 'object_id'");
  }
  DiscoveryEntity entity;
  entity.component = required_string(*object, "component");
  if (!is_id(entity.component, true)) {
    throw std::invalid_argument("component '" + entity.component +
                                "' must be an HA component name such as sensor or binary_sensor");
  }
  entity.object_id = required_string(*object, "object_id");
  if (!is_id(entity.object_id, false)) {
    throw std::invalid_argument("object_id '" + entity.object_id +
                                "' may only hold letters, digits, '_' and '-'");
  }
  entity.config = *object;
  entity.config.erase("component");
  entity.config.erase("object_id");
  if (const boost::json::value* device = entity.config.if_contains("device");
      device != nullptr && !device->is_object()) {
    throw std::invalid_argument("entity 'device' must be an object");
  }
  return entity;
}

std::string discovery_topic(const DiscoveryOrigin& origin, const DiscoveryEntity& entity) {
  return origin.prefix + "/" + entity.component + "/" + origin.node_id + "/" + entity.object_id +
         "/config";
}

std::string default_state_topic(const DiscoveryOrigin& origin, const DiscoveryEntity& entity) {
  if (const boost::json::value* given = entity.config.if_contains("state_topic");
      given != nullptr && given->is_string()) {
    return std::string(given->as_string());
  }
  return "seer/" + origin.node_id + "/" + entity.object_id + "/state";
}

std::string home_assistant_status_topic(const DiscoveryOrigin& origin) {
  return origin.prefix + "/status";
}

boost::json::object discovery_config(const DiscoveryOrigin& origin, const DiscoveryEntity& entity) {
  boost::json::object device{{"identifiers", boost::json::array{"seer_" + origin.node_id}},
                             {"name", "seer " + origin.node_id},
                             {"manufacturer", "seer"},
                             {"model", "seer agent"}};
  if (!origin.software_version.empty()) device["sw_version"] = origin.software_version;
  for (const auto& field : origin.device) device[field.key()] = field.value();

  boost::json::object config = entity.config;
  if (const boost::json::value* own = config.if_contains("device")) {
    for (const auto& field : own->as_object()) device[field.key()] = field.value();
  }
  config["device"] = std::move(device);
  if (!config.contains("unique_id")) config["unique_id"] = origin.node_id + "_" + entity.object_id;
  if (!config.contains("name")) config["name"] = entity.object_id;
  // Buttons only take commands; everything else we announce reports a state.
  if (entity.component != "button" && !config.contains("state_topic")) {
    config["state_topic"] = default_state_topic(origin, entity);
  }
  if (!config.contains("availability_topic") && !config.contains("availability")) {
    config["availability_topic"] = origin.availability_topic;
    config["payload_available"] = "online";
    config["payload_not_available"] = "offline";
  }
  return config;
}

bool DiscoveryRegistry::add(DiscoveryEntity entity) {
  const auto same = std::find_if(entities_.begin(), entities_.end(), [&](const auto& known) {
    return known.component == entity.component && known.object_id == entity.object_id;
  });
  if (same == entities_.end()) {
    entities_.push_back(std::move(entity));
    return true;
  }
  if (same->config == entity.config) return false;
  *same = std::move(entity);
  return true;
}

std::optional<DiscoveryEntity> DiscoveryRegistry::remove(const std::string& component,
                                                         const std::string& object_id) {
  const auto found = std::find_if(entities_.begin(), entities_.end(), [&](const auto& known) {
    return known.component == component && known.object_id == object_id;
  });
  if (found == entities_.end()) return std::nullopt;
  DiscoveryEntity removed = std::move(*found);
  entities_.erase(found);
  return removed;
}

}  // namespace seer::mqtt
