#include <seer/health.hpp>

namespace seer {

std::string_view to_string(HealthState state) {
  switch (state) {
    case HealthState::starting:
      return "starting";
    case HealthState::ready:
      return "ready";
    case HealthState::degraded:
      return "degraded";
    case HealthState::failed:
      return "failed";
    case HealthState::stopped:
      return "stopped";
  }
  return "unknown";
}

HealthReporter::HealthReporter(Listener listener) : listener_(std::move(listener)) {
  // Not started yet, so that the first set(starting) is a change listeners hear about.
  health_ = Health{HealthState::stopped, "not started", std::chrono::system_clock::now()};
}

void HealthReporter::set(HealthState state, std::string reason) {
  Health changed;
  {
    std::lock_guard lock(mutex_);
    if (health_.state == state && health_.reason == reason) return;
    health_ = Health{state, std::move(reason), std::chrono::system_clock::now()};
    changed = health_;
  }
  if (listener_) listener_(changed);
}

Health HealthReporter::current() const {
  std::lock_guard lock(mutex_);
  return health_;
}

}  // namespace seer
