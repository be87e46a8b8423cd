#include "health_board.hpp"

#include <array>

namespace seer::http {

void HealthBoard::record(const Event& event) {
  const boost::json::object* payload = event.payload.if_object();
  if (payload == nullptr) return;
  const auto text = [payload](std::string_view key) -> std::string {
    const boost::json::value* value = payload->if_contains(key);
    return value != nullptr && value->is_string() ? std::string(value->get_string()) : "";
  };
  const std::string instance = text("instance");
  if (instance.empty()) return;
  const std::lock_guard lock(mutex_);
  plugins_[instance] = {instance, text("state"), text("reason"), event.timestamp};
}

std::optional<std::string> HealthBoard::still_starting() const {
  const std::lock_guard lock(mutex_);
  for (const auto& [instance, entry] : plugins_) {
    if (entry.state == "starting") {
      return instance + ": " + (entry.reason.empty() ? "starting" : entry.reason);
    }
  }
  return std::nullopt;
}

std::vector<PluginHealth> HealthBoard::plugins() const {
  const std::lock_guard lock(mutex_);
  std::vector<PluginHealth> result;
  for (const auto& [instance, entry] : plugins_) result.push_back(entry);
  return result;
}

void HealthBoard::write(PrometheusText& out) const {
  constexpr std::array<std::string_view, 5> states{"starting", "ready", "degraded", "failed",
                                                   "stopped"};
  const std::lock_guard lock(mutex_);
  out.family("seer_plugin_up", "gauge",
             "1 while a plugin instance is ready or degraded (working), else 0.");
  for (const auto& [instance, entry] : plugins_) {
    const bool up = entry.state == "ready" || entry.state == "degraded";
    out.sample("seer_plugin_up", {{"instance", instance}}, up ? 1 : 0);
  }
  out.family("seer_plugin_state", "gauge", "1 for a plugin instance's current health state.");
  for (const auto& [instance, entry] : plugins_) {
    for (const std::string_view state : states) {
      out.sample("seer_plugin_state", {{"instance", instance}, {"state", state}},
                 entry.state == state ? 1 : 0);
    }
  }
}

}  // namespace seer::http
