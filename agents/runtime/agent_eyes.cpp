#include <seer/agents/agent_eyes.hpp>
#include <seer/agents/home_assistant_entities.hpp>

#include <stdexcept>

namespace seer::agents {
namespace {

std::string mood_of(const VisionReport& report) {
  if (report.emotion) return report.emotion->label;
  if (report.emotion_bagel) return report.emotion_bagel->label;
  return {};
}

}  // namespace

AgentEyes::AgentEyes(std::string agent, std::unique_ptr<VisionReportPipeline> pipeline,
                     Duration freshness, Bus& bus, bool home_assistant)
    : agent_(std::move(agent)),
      pipeline_(std::move(pipeline)),
      freshness_(freshness),
      bus_(bus),
      home_assistant_(home_assistant) {}

std::optional<AgentEyes::Seen> AgentEyes::latest() const {
  const std::lock_guard lock(mutex_);
  return latest_;
}

AgentEyes::Seen AgentEyes::look(std::string_view reason) {
  if (!pipeline_) throw std::logic_error("agent " + agent_ + " has no eyes (vision is off)");
  const Clock::time_point asked = Clock::now();
  const std::lock_guard one_look(looking_);
  if (auto seen = latest(); seen && seen->taken >= asked) return *seen;
  Seen seen{pipeline_->run(), Clock::now()};
  // The report is as old as its frame: `taken` is when the look began.
  seen.taken = asked;
  {
    const std::lock_guard lock(mutex_);
    latest_ = seen;
  }
  publish(seen, reason);
  return seen;
}

AgentEyes::Seen AgentEyes::look_if_stale(std::string_view reason) {
  if (auto seen = latest(); seen && Clock::now() - seen->taken <= freshness_) return *seen;
  return look(reason);
}

void AgentEyes::publish(const Seen& seen, std::string_view reason) {
  boost::json::object event = to_json(seen.report).as_object();
  event["agent"] = agent_;
  event["reason"] = reason;
  bus_.publish("agents/" + agent_ + "/vision_report", std::move(event), "agent:" + agent_);

  std::optional<bool> present;
  if (seen.report.faces) present = !seen.report.faces->empty();
  const std::string mood = mood_of(seen.report);
  std::optional<bool> presence_changed;
  std::string previous_mood;
  bool mood_changed = false;
  {
    const std::lock_guard lock(mutex_);
    if (present && present != person_present_) {
      presence_changed = *present;
      person_present_ = present;
    }
    if (!mood.empty() && mood != mood_) {
      previous_mood = std::exchange(mood_, mood);
      mood_changed = true;
    }
  }
  if (presence_changed) {
    bus_.publish(
        "agents/" + agent_ + "/person",
        boost::json::object{{"present", *presence_changed}, {"faces", seen.report.faces->size()}},
        "agent:" + agent_);
  }
  if (mood_changed) {
    bus_.publish("agents/" + agent_ + "/mood",
                 boost::json::object{{"mood", mood}, {"previous", previous_mood}},
                 "agent:" + agent_);
  }
  if (home_assistant_) publish_home_assistant_states(bus_, agent_, seen.report);
}

}  // namespace seer::agents
