#pragma once
// What an agent file's `triggers:` list says: when an agent acts (a phrase, an MQTT message
// matching conditions, a clock schedule, camera motion) and what it then does.

#include <seer/agents/condition.hpp>
#include <seer/config.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seer::agents {

// Where a firing's result is sent as an MQTT message (a concrete topic, no wildcards).
struct PublishTarget {
  std::string topic;
  int qos = 1;
  bool retain = false;
};

enum class TriggerSource { phrase, mqtt, schedule, motion };

// "phrase", "mqtt", "schedule", "motion": the source's key in YAML and in events.
std::string_view to_string(TriggerSource source);

struct TriggerDefinition {
  std::string name;
  TriggerSource source = TriggerSource::phrase;
  std::vector<std::string> phrases;   // source phrase
  std::string mqtt_topic;             // source mqtt: an MQTT topic filter
  std::vector<Condition> conditions;  // source mqtt: all must hold
  std::string schedule;               // source schedule: a clock schedule name
  std::string camera;                 // source motion: a camera instance
  Duration cooldown{};                // after a firing, quiet for this long
  Duration debounce{};                // mqtt, motion: the condition must hold this long
  std::string action;                 // one of the actions the caller offers
  std::optional<PublishTarget> publish;
  SourceLocation location;  // where the list item starts
};

// Reads an agent file's `triggers:` list (null or absent: none). `actions` are the action
// names the agent offers (e.g. {"look", "report"}). Throws ConfigError at the offending key.
std::vector<TriggerDefinition> read_trigger_definitions(const ConfigNode& list,
                                                        const std::vector<std::string>& actions);

}  // namespace seer::agents
