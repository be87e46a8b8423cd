#include "health_board.hpp"

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
  plugins_[instance] = {text("state"), text("reason")};
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

}  // namespace seer::http
