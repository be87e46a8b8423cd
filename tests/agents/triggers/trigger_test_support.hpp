#pragma once
// Helpers for trigger tests: definitions from YAML, the firings handed to on_fire, bus events
// shaped like the mqtt, clock and camera plugins' own, and waiting with a deadline.

#include <seer/agents/trigger_set.hpp>
#include <seer/bus.hpp>

#include <boost/json/parse.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace seer::agents::test {

using namespace std::chrono_literals;

inline std::vector<TriggerDefinition> definitions_from(const std::string& yaml) {
  return read_trigger_definitions(ConfigNode::load_string(yaml, "sophia.yaml")["triggers"],
                                  {"look", "report"});
}

// What on_fire received, with the thread it ran on.
class FiredLog {
 public:
  TriggerSet::FireHandler handler() {
    return [this](const TriggerFired& fired) {
      std::lock_guard lock(mutex_);
      fired_.push_back(fired);
      threads_.push_back(std::this_thread::get_id());
      changed_.notify_all();
    };
  }
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return fired_.size() >= count; });
  }
  std::vector<TriggerFired> fired() const {
    std::lock_guard lock(mutex_);
    return fired_;
  }
  std::vector<std::thread::id> threads() const {
    std::lock_guard lock(mutex_);
    return threads_;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return fired_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<TriggerFired> fired_;
  std::vector<std::thread::id> threads_;
};

// For counters that change on another thread without a notification of their own.
template <typename Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!predicate()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// An `mqtt/in/<topic>` event as the mqtt plugin publishes it.
inline void publish_mqtt_in(Bus& bus, const std::string& topic, std::string_view json_payload,
                            bool retained = false) {
  bus.publish("mqtt/in/" + topic,
              boost::json::object{{"topic", topic},
                                  {"payload", boost::json::parse(json_payload)},
                                  {"retained", retained},
                                  {"qos", 1}},
              "mqtt");
}

inline void publish_motion(Bus& bus, const std::string& camera, std::string_view state) {
  bus.publish("camera/" + camera + "/motion",
              boost::json::object{{"state", state}, {"area", state == "start" ? 0.03 : 0.0}},
              camera);
}

}  // namespace seer::agents::test
