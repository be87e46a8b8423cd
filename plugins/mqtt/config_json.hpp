#pragma once
// Free-form configuration maps (HA entity and device fields) as JSON.

#include <seer/config.hpp>

#include <boost/json/value.hpp>

namespace seer::mqtt {

// Scalars are typed like YAML 1.2's core schema: true/false, integers, decimals, else text.
boost::json::value config_to_json(const ConfigNode& node);

}  // namespace seer::mqtt
