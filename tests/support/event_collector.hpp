#pragma once
// Test helpers for anything on the bus: collect delivered events and wait for them with a
// deadline; park handlers at a gate.

#include <seer/bus.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace seer::test {

class EventCollector {
 public:
  EventHandler handler() {
    return [this](const EventPtr& event) {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
      threads_.push_back(std::this_thread::get_id());
      changed_.notify_all();
    };
  }

  // True when at least `count` events arrived within `timeout`.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
  }

  std::vector<EventPtr> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<std::thread::id> threads() const {
    std::lock_guard lock(mutex_);
    return threads_;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<EventPtr> events_;
  std::vector<std::thread::id> threads_;
};

// Blocks handlers until released: lets a test fill a subscriber's queue deterministically.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // True once a handler is parked at the gate.
  bool wait_until_blocked(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return waiting_ > 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  int waiting_ = 0;
};

}  // namespace seer::test
