#pragma once
// The last vision report of every agent, from `agents/<name>/vision_report` events (see
// agents/runtime/agent_eyes.cpp), with each pipeline stage's time added up for /metrics.

#include "prometheus_text.hpp"

#include <seer/event.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seer::http {

class VisionReports {
 public:
  // The event's payload is the report (VisionReport's JSON plus "agent" and "reason").
  void record(const Event& event);
  std::optional<boost::json::object> latest(const std::string& agent) const;
  // The agents that have sent a report.
  std::vector<std::string> agents() const;
  void write(PrometheusText& out) const;

 private:
  struct StageTime {
    std::uint64_t count = 0;
    double seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, boost::json::object> latest_;                // by agent
  std::map<std::string, std::uint64_t> reports_;                     // by agent
  std::map<std::pair<std::string, std::string>, StageTime> stages_;  // by agent, stage
};

}  // namespace seer::http
