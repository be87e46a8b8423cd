#include "vision_reports.hpp"

namespace seer::http {

namespace json = boost::json;

namespace {

// agents/<name>/vision_report
std::string agent_of(std::string_view topic) {
  const std::size_t first = topic.find('/');
  const std::size_t last = topic.rfind('/');
  if (first == std::string_view::npos || last <= first + 1) return {};
  return std::string(topic.substr(first + 1, last - first - 1));
}

}  // namespace

void VisionReports::record(const Event& event) {
  const json::object* report = event.payload.if_object();
  const std::string agent = agent_of(event.topic);
  if (report == nullptr || agent.empty()) return;
  const std::lock_guard lock(mutex_);
  latest_[agent] = *report;
  ++reports_[agent];
  const json::value* timings = report->if_contains("timings_ms");
  if (timings == nullptr || !timings->is_object()) return;
  for (const auto& [stage, milliseconds] : timings->get_object()) {
    if (!milliseconds.is_number()) continue;
    StageTime& time = stages_[{agent, std::string(stage)}];
    ++time.count;
    time.seconds += milliseconds.to_number<double>() / 1000;
  }
}

std::optional<json::object> VisionReports::latest(const std::string& agent) const {
  const std::lock_guard lock(mutex_);
  const auto found = latest_.find(agent);
  if (found == latest_.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> VisionReports::agents() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& [agent, report] : latest_) names.push_back(agent);
  return names;
}

void VisionReports::write(PrometheusText& out) const {
  const std::lock_guard lock(mutex_);
  out.family("seer_vision_reports_total", "counter", "Vision reports published, by agent.");
  for (const auto& [agent, count] : reports_) {
    out.sample("seer_vision_reports_total", {{"agent", agent}}, static_cast<double>(count));
  }
  out.family("seer_vision_stage_seconds", "summary",
             "Time of each vision-report pipeline stage, from the reports' timings_ms.");
  for (const auto& [key, time] : stages_) {
    const Labels labels{{"agent", key.first}, {"stage", key.second}};
    out.sample("seer_vision_stage_seconds_sum", labels, time.seconds);
    out.sample("seer_vision_stage_seconds_count", labels, static_cast<double>(time.count));
  }
}

}  // namespace seer::http
