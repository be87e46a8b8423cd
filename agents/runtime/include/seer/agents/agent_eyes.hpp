#pragma once
// What an agent has seen: the newest vision report and when it was taken. Looks are shared —
// callers that ask while a look is running wait for it instead of starting another — and
// every new report is published (`agents/<agent>/vision_report`), with `agents/<agent>/person`
// and `agents/<agent>/mood` when presence or mood changed, and the Home Assistant states.

#include <seer/agents/vision_report.hpp>
#include <seer/agents/vision_report_pipeline.hpp>
#include <seer/bus.hpp>
#include <seer/config.hpp>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace seer::agents {

class AgentEyes {
 public:
  using Clock = std::chrono::steady_clock;
  struct Seen {
    VisionReport report;
    Clock::time_point taken;
  };

  // `pipeline` may be null: an agent without eyes (looks then throw std::logic_error).
  AgentEyes(std::string agent, std::unique_ptr<VisionReportPipeline> pipeline, Duration freshness,
            Bus& bus, bool home_assistant);

  bool can_see() const { return pipeline_ != nullptr; }
  std::optional<Seen> latest() const;
  // A report whose look began after this call did: a caller that arrives while a look runs
  // waits, then takes its own (or shares one another waiting caller took meanwhile). `reason`
  // goes into the published event.
  Seen look(std::string_view reason);
  // The latest report when it is younger than the freshness setting, else look(reason).
  Seen look_if_stale(std::string_view reason);

  static std::chrono::seconds age(const Seen& seen) {
    return std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - seen.taken);
  }

 private:
  void publish(const Seen& seen, std::string_view reason);

  std::string agent_;
  std::unique_ptr<VisionReportPipeline> pipeline_;
  Duration freshness_;
  Bus& bus_;
  bool home_assistant_;
  std::mutex looking_;  // one pipeline run at a time
  mutable std::mutex mutex_;
  std::optional<Seen> latest_;
  std::optional<bool> person_present_;
  std::string mood_;
};

}  // namespace seer::agents
