#pragma once
// Callbacks run at deadlines on one std::jthread of their own (debounce timers): the thread
// sleeps on a condition variable until the earliest deadline, a change, or stop.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace seer::agents {

class TimerThread {
 public:
  using Clock = std::chrono::steady_clock;

  TimerThread();
  ~TimerThread();
  TimerThread(const TimerThread&) = delete;
  TimerThread& operator=(const TimerThread&) = delete;

  // Runs `callback` on the timer thread at `deadline` unless cancelled first; the id is for
  // cancel(). Callbacks run one at a time, outside the timer's lock.
  std::uint64_t schedule(Clock::time_point deadline, std::function<void()> callback);
  // Nothing happens when it already ran or was cancelled.
  void cancel(std::uint64_t id);
  // Drops every timer, waits for a running callback, ends the thread. Idempotent; never call
  // it from a callback.
  void stop();

 private:
  struct Timer {
    Clock::time_point deadline;
    std::function<void()> callback;
  };

  void run(std::stop_token stop);

  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::map<std::uint64_t, Timer> timers_;
  std::uint64_t next_id_ = 1;
  std::uint64_t changes_ = 0;  // bumped by schedule and cancel, to wake the thread
  std::jthread thread_;        // last: starts once the members above exist
};

}  // namespace seer::agents
