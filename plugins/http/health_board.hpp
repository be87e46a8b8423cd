#pragma once
// The plugins' health as the runtime publishes it on `seer/health/<instance>`, for /healthz,
// the console's status and /metrics.
// Only changes published after the http plugin started are seen (the bus keeps no history).

#include "prometheus_text.hpp"

#include <seer/event.hpp>

#include <chrono>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace seer::http {

struct PluginHealth {
  std::string instance;
  std::string state;  // starting, ready, degraded, failed, stopped
  std::string reason;
  std::chrono::system_clock::time_point since;
};

class HealthBoard {
 public:
  // A `seer/health/...` event: {"instance", "state", "reason"}.
  void record(const Event& event);
  // "<instance>: <reason>" of the first plugin still starting (loading a model), if any.
  std::optional<std::string> still_starting() const;
  std::vector<PluginHealth> plugins() const;  // by instance name
  // seer_plugin_up and seer_plugin_state.
  void write(PrometheusText& out) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, PluginHealth> plugins_;
};

}  // namespace seer::http
