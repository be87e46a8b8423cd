#pragma once
// The plugins' health as the runtime publishes it on `seer/health/<instance>`, for /healthz.
// Only changes published after the http plugin started are seen (the bus keeps no history).

#include <seer/event.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace seer::http {

class HealthBoard {
 public:
  // A `seer/health/...` event: {"instance", "state", "reason"}.
  void record(const Event& event);
  // "<instance>: <reason>" of the first plugin still starting (loading a model), if any.
  std::optional<std::string> still_starting() const;

 private:
  struct Entry {
    std::string state;
    std::string reason;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Entry> plugins_;
};

}  // namespace seer::http
