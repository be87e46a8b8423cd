#pragma once
// One firing of a trigger: which agent and trigger, the action to run, and what caused it.
// Published as `agents/<agent>/trigger` (README.md shows the JSON).

#include <seer/agents/trigger_definition.hpp>
#include <seer/event.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace seer::agents {

struct TriggerFired {
  std::string agent;
  std::string trigger;
  std::string action;
  TriggerSource source = TriggerSource::phrase;
  std::string topic;          // the bus topic of the event that caused it; empty for a phrase
  boost::json::value detail;  // that event's payload, or {phrase, text} for a phrase
  std::optional<PublishTarget> publish;
  std::chrono::system_clock::time_point at;
  TraceId trace_id = 0;  // the causing event's, or a fresh one: the action's work carries it on
};

boost::json::object to_json(const TriggerFired& fired);

}  // namespace seer::agents
