// The JSON of a trigger firing, as published on `agents/<agent>/trigger`.

#include <seer/agents/trigger_fired.hpp>

#include <cstdio>
#include <ctime>

namespace seer::agents {
namespace {

// "2024-05-01T12:00:42.001Z", as the clock plugin writes times.
std::string utc_text(std::chrono::system_clock::time_point time) {
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch());
  const std::time_t seconds = std::chrono::system_clock::to_time_t(
      std::chrono::system_clock::time_point(std::chrono::floor<std::chrono::seconds>(since_epoch)));
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  const auto millis = static_cast<int>(since_epoch.count() % 1000 + 1000) % 1000;
  char text[64];  // room for any int the compiler imagines in each field
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis);
  return text;
}

}  // namespace

boost::json::object to_json(const TriggerFired& fired) {
  boost::json::object json{
      {"agent", fired.agent},
      {"trigger", fired.trigger},
      {"action", fired.action},
      {"source", to_string(fired.source)},
      {"topic", fired.topic},
      {"detail", fired.detail},
      {"time", utc_text(fired.at)},
      {"unix_ms",
       std::chrono::duration_cast<std::chrono::milliseconds>(fired.at.time_since_epoch()).count()},
  };
  if (fired.publish) {
    json["publish"] = boost::json::object{{"topic", fired.publish->topic},
                                          {"qos", fired.publish->qos},
                                          {"retain", fired.publish->retain}};
  } else {
    json["publish"] = nullptr;
  }
  return json;
}

}  // namespace seer::agents
