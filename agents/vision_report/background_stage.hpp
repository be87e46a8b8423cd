#pragma once
// One pipeline stage on a thread of its own, waited for with a deadline. The thread owns what
// the work captured (services, images), so a stage that runs past its deadline may be given up
// on safely: it finishes later, alone, and counts itself out of `running` when done.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

namespace seer::agents {

template <typename T>
struct StageOutcome {
  std::optional<T> value;  // set when the work returned in time
  std::string failure;     // why there is no value: the exception's message or the timeout
  double milliseconds = 0;
};

template <typename T>
class BackgroundStage {
 public:
  BackgroundStage(std::function<T()> work, std::shared_ptr<std::atomic<int>> running)
      : state_(std::make_shared<State>()), started_(std::chrono::steady_clock::now()) {
    running->fetch_add(1);
    try {
      std::thread([state = state_, work = std::move(work), running]() mutable {
        finish(*state, work);
        work = nullptr;  // the captured services go before the stage counts itself out
        running->fetch_sub(1);
      }).detach();
    } catch (const std::system_error& error) {
      running->fetch_sub(1);
      std::lock_guard lock(state_->mutex);
      state_->outcome.failure = std::string("could not start a thread: ") + error.what();
      state_->done = true;
    }
  }

  // The outcome when the work ends by `deadline`; else a failure naming `limit_text`.
  StageOutcome<T> wait_until(std::chrono::steady_clock::time_point deadline,
                             const std::string& limit_text) {
    std::unique_lock lock(state_->mutex);
    if (state_->finished.wait_until(lock, deadline, [this] { return state_->done; })) {
      return std::move(state_->outcome);
    }
    StageOutcome<T> timed_out;
    timed_out.failure = "timed out after " + limit_text;
    timed_out.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    return timed_out;
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable finished;
    StageOutcome<T> outcome;
    bool done = false;
  };

  static void finish(State& state, const std::function<T()>& work) {
    const auto start = std::chrono::steady_clock::now();
    StageOutcome<T> outcome;
    try {
      outcome.value = work();
    } catch (const std::exception& error) {
      outcome.failure = *error.what() != '\0' ? error.what() : "failed without a message";
    } catch (...) {
      outcome.failure = "failed with an unknown exception";
    }
    outcome.milliseconds =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    {
      std::lock_guard lock(state.mutex);
      state.outcome = std::move(outcome);
      state.done = true;
    }
    state.finished.notify_all();
  }

  std::shared_ptr<State> state_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace seer::agents
