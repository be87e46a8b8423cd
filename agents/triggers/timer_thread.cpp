// The debounce timers' thread.

#include "timer_thread.hpp"

#include <algorithm>

namespace seer::agents {

TimerThread::TimerThread() : thread_([this](std::stop_token stop) { run(std::move(stop)); }) {}

TimerThread::~TimerThread() { stop(); }

std::uint64_t TimerThread::schedule(Clock::time_point deadline, std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  timers_.emplace(id, Timer{deadline, std::move(callback)});
  ++changes_;
  changed_.notify_all();
  return id;
}

void TimerThread::cancel(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  if (timers_.erase(id) > 0) {
    ++changes_;
    changed_.notify_all();
  }
}

void TimerThread::stop() {
  {
    std::lock_guard lock(mutex_);
    timers_.clear();
  }
  thread_.request_stop();  // wakes the condition variable's stop_token waits
  if (thread_.joinable()) thread_.join();
}

void TimerThread::run(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    const std::uint64_t seen = changes_;
    const auto changed = [&] { return changes_ != seen; };
    if (timers_.empty()) {
      changed_.wait(lock, stop, changed);
      continue;
    }
    const auto earliest = std::min_element(
        timers_.begin(), timers_.end(),
        [](const auto& a, const auto& b) { return a.second.deadline < b.second.deadline; });
    // A copy: the timer may be cancelled, and erased, while the thread waits for it.
    const Clock::time_point deadline = earliest->second.deadline;
    if (deadline > Clock::now()) {
      changed_.wait_until(lock, stop, deadline, changed);
      continue;
    }
    std::function<void()> callback = std::move(earliest->second.callback);
    timers_.erase(earliest);
    lock.unlock();
    callback();
    lock.lock();
  }
}

}  // namespace seer::agents
