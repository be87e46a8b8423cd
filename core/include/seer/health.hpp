#pragma once
// Each plugin's health: starting → ready, degraded or failed, always with a reason.

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

namespace seer {

enum class HealthState { starting, ready, degraded, failed, stopped };

std::string_view to_string(HealthState state);

struct Health {
  HealthState state = HealthState::starting;
  std::string reason;
  std::chrono::system_clock::time_point since;
};

// Given to a plugin in its context; the runtime publishes every change on the bus as
// `seer/health/<plugin instance>`. A plugin is `ready` when its start() returns, unless it
// set `starting` with a reason (say, "loading the checkpoint") to report ready itself later.
class HealthReporter {
 public:
  using Listener = std::function<void(const Health&)>;
  explicit HealthReporter(Listener listener = {});

  void set(HealthState state, std::string reason = {});
  void ready(std::string reason = {}) { set(HealthState::ready, std::move(reason)); }
  void degraded(std::string reason) { set(HealthState::degraded, std::move(reason)); }
  void failed(std::string reason) { set(HealthState::failed, std::move(reason)); }
  Health current() const;

 private:
  mutable std::mutex mutex_;
  Health health_;
  Listener listener_;
};

}  // namespace seer
