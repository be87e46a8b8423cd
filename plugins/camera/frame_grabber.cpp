#include "frame_grabber.hpp"

#include "reconnect_backoff.hpp"

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace seer::camera {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

// How long stop() waits for the thread before leaving it to finish alone.
constexpr auto kStopWait = std::chrono::seconds(1);

std::string format_seconds(Duration delay) {
  std::string text = std::to_string(static_cast<double>(delay.count()) / 1000.0);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.ends_with('.')) text.pop_back();
  return text + "s";
}

}  // namespace

struct FrameGrabber::State {
  State(std::unique_ptr<FrameSource> frame_source, ReconnectSettings reconnect,
        GrabberListener grabber_listener, std::shared_ptr<const void> library)
      : source(std::move(frame_source)),
        backoff(reconnect),
        listener(std::move(grabber_listener)),
        keepalive(std::move(library)),
        interval(source->frame_interval()),
        description(source->describe()) {}

  void run();
  void read_until_lost();
  // Sleeps until `until` or stop; false when stopping.
  bool sleep_until(SteadyTime until);
  void publish_frame(Image frame);
  void report(HealthState health, const std::string& reason);
  // A lost or finished source's last frame is not handed out as if the camera were live.
  void forget_newest() {
    std::lock_guard lock(mutex);
    newest = {};
  }
  bool stopping_now() {
    std::lock_guard lock(mutex);
    return stopping;
  }

  // Used by the grabber thread only.
  std::unique_ptr<FrameSource> source;
  ReconnectBackoff backoff;

  // Guards the listener: cleared by stop(), so no callback runs after stop() returns.
  std::mutex listener_mutex;
  GrabberListener listener;
  std::shared_ptr<const void> keepalive;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  bool stopping = false;
  bool finished = false;
  Image newest;
  SteadyTime newest_at;
  std::uint64_t sequence = 0;
  std::chrono::nanoseconds interval;
  std::string description;
  std::string health_reason = "not started";
};

void FrameGrabber::State::run() {
  while (!stopping_now()) {
    std::string reason;
    try {
      read_until_lost();
      return;  // stopping, or a file that does not loop has ended
    } catch (const std::exception& failure) {
      reason = failure.what();
    } catch (...) {
      reason = "unknown error";
    }
    source->close();
    forget_newest();
    const Duration delay = backoff.next();
    report(HealthState::degraded, reason + "; retrying in " + format_seconds(delay));
    if (!sleep_until(std::chrono::steady_clock::now() + delay)) return;
  }
}

void FrameGrabber::State::read_until_lost() {
  source->open();
  {
    std::lock_guard lock(mutex);
    interval = source->frame_interval();
    description = source->describe();
  }
  bool first = true;
  SteadyTime due = std::chrono::steady_clock::now();
  while (!stopping_now()) {
    std::optional<Image> frame = source->read();
    if (!frame) {
      forget_newest();
      report(HealthState::degraded, "reached the end of " + description + " (loop is off)");
      return;
    }
    if (first) {
      first = false;
      backoff.reset();
      {
        std::lock_guard lock(mutex);
        description = source->describe();
      }
      report(HealthState::ready, description);
    }
    publish_frame(std::move(*frame));
    if (source->needs_pacing()) {
      // Deadlines advance from the previous one so the rate does not drift; after a stall
      // the schedule restarts from now instead of racing to catch up.
      const auto now = std::chrono::steady_clock::now();
      due += interval;
      if (due + interval < now) due = now;
      if (!sleep_until(due)) return;
    }
  }
}

bool FrameGrabber::State::sleep_until(SteadyTime until) {
  std::unique_lock lock(mutex);
  return !changed.wait_until(lock, until, [this] { return stopping; });
}

void FrameGrabber::State::publish_frame(Image frame) {
  frame.captured_at = std::chrono::system_clock::now();
  std::uint64_t frame_sequence = 0;
  {
    std::lock_guard lock(mutex);
    newest = frame;
    newest_at = std::chrono::steady_clock::now();
    frame_sequence = ++sequence;
  }
  changed.notify_all();
  std::lock_guard lock(listener_mutex);
  if (listener.on_frame) listener.on_frame(frame, frame_sequence);
}

void FrameGrabber::State::report(HealthState health, const std::string& reason) {
  {
    std::lock_guard lock(mutex);
    health_reason = std::string(to_string(health)) + ": " + reason;
  }
  std::lock_guard lock(listener_mutex);
  if (listener.on_health) listener.on_health(health, reason);
}

FrameGrabber::FrameGrabber(std::unique_ptr<FrameSource> source, ReconnectSettings reconnect,
                           GrabberListener listener, std::shared_ptr<const void> keepalive)
    : state_(std::make_shared<State>(std::move(source), reconnect, std::move(listener),
                                     std::move(keepalive))) {}

FrameGrabber::~FrameGrabber() { stop(); }

void FrameGrabber::start() {
  if (thread_.joinable()) throw std::logic_error("a frame grabber starts only once");
  {
    std::lock_guard lock(state_->mutex);
    state_->health_reason = "starting: opening " + state_->description;
  }
  thread_ = std::thread([state = state_] {
    state->run();
    std::lock_guard lock(state->mutex);
    state->finished = true;
    state->changed.notify_all();
  });
}

void FrameGrabber::stop() {
  std::unique_lock lock(state_->mutex);
  state_->stopping = true;
  state_->changed.notify_all();
  lock.unlock();
  {
    // Waits for a callback in progress; none starts afterwards.
    std::lock_guard listener_lock(state_->listener_mutex);
    state_->listener = {};
  }
  if (!thread_.joinable()) return;
  lock.lock();
  const bool finished =
      state_->changed.wait_for(lock, kStopWait, [this] { return state_->finished; });
  lock.unlock();
  // A thread still in a (bounded) open only touches the state it shares, so it may finish
  // alone.
  if (finished) {
    thread_.join();
  } else {
    thread_.detach();
  }
}

Image FrameGrabber::snapshot(Duration timeout) const {
  State& state = *state_;
  std::unique_lock lock(state.mutex);
  const std::uint64_t asked_at = state.sequence;
  const bool fresh = state.changed.wait_for(lock, timeout, [&] {
    if (state.stopping) return true;
    if (state.sequence > asked_at) return true;
    return !state.newest.empty() &&
           std::chrono::steady_clock::now() - state.newest_at <= state.interval;
  });
  if (state.stopping) throw std::runtime_error("camera " + state.description + " is stopped");
  if (!fresh || state.newest.empty()) {
    throw std::runtime_error("no frame from " + state.description + " within " +
                             std::to_string(timeout.count()) + "ms (" + state.health_reason + ")");
  }
  return state.newest;
}

std::string FrameGrabber::describe() const {
  std::lock_guard lock(state_->mutex);
  return state_->description;
}

}  // namespace seer::camera
