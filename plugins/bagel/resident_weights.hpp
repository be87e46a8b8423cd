#pragma once
// Weights that may leave memory and come back: loaded once at start, freed when a request's
// keep_alive runs out (Ollama's semantics), loaded again by the next request that needs them.
// Requests hold the weights (a shared_ptr) while they generate, so freeing never pulls them
// from under a running generation: it happens when the last holder lets go.

#include <seer/config.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>

namespace seer::bagel {

enum class Residency { loading, loaded, unloaded, failed };

template <class Weights>
class ResidentWeights {
 public:
  using Clock = std::chrono::steady_clock;
  // Loads the weights; asks `should_stop` between tensors and throws when it answers true.
  using Loader = std::function<std::shared_ptr<const Weights>(const std::function<bool()>&)>;
  // Told of each change (loading, loaded, unloaded), outside the lock.
  using Listener = std::function<void(Residency)>;

  // `default_keep`: how long weights stay after a request that names no keep_alive
  // (nullopt: for ever).
  ResidentWeights(Loader loader, std::optional<Duration> default_keep)
      : loader_(std::move(loader)), default_keep_(default_keep) {
    expiry_ = std::jthread([this](std::stop_token stop) { free_when_expired(stop); });
  }
  ~ResidentWeights() {
    expiry_.request_stop();
    expiry_.join();
  }
  ResidentWeights(const ResidentWeights&) = delete;
  ResidentWeights& operator=(const ResidentWeights&) = delete;

  void set_listener(Listener listener) {
    const std::lock_guard lock(mutex_);
    listener_ = std::move(listener);
  }

  // The first load (the plugin's loader thread). Its failure is permanent: every request
  // then fails with it.
  void load_first(const std::function<bool()>& should_stop) {
    begin_loading();
    try {
      finish_loading(loader_(should_stop));
    } catch (const std::exception& error) {
      fail(error.what());
      throw;
    }
  }

  // From now on every request fails at once with `why`; the weights are freed.
  void fail(std::string why) {
    std::unique_lock lock(mutex_);
    if (failure_.empty()) failure_ = std::move(why);
    loading_ = false;
    weights_.reset();
    changed_.notify_all();
  }

  // The weights for one request, loaded again first when they were freed; waits while they
  // load. Pair with release().
  std::shared_ptr<const Weights> acquire(std::stop_token cancel) {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (!failure_.empty()) throw std::runtime_error(failure_);
      if (weights_) {
        ++holders_;
        expires_at_.reset();
        return weights_;
      }
      if (!loading_) break;  // freed: this request loads them
      changed_.wait(lock, cancel, [this] { return weights_ || !loading_ || !failure_.empty(); });
      if (cancel.stop_requested())
        throw std::runtime_error("cancelled while the model was loading");
    }
    loading_ = true;
    lock.unlock();
    notify(Residency::loading);
    std::shared_ptr<const Weights> fresh;
    try {
      fresh = loader_([&cancel] { return cancel.stop_requested(); });
    } catch (...) {
      // A failed reload is this request's failure, not the model's: the next one tries again.
      lock.lock();
      loading_ = false;
      changed_.notify_all();
      lock.unlock();
      notify(Residency::unloaded);
      throw;
    }
    finish_loading(fresh);
    return acquire(cancel);
  }

  // Releases an acquire() when it goes out of scope, however the request ends.
  class Hold {
   public:
    Hold(ResidentWeights& owner, std::optional<Duration> keep) : owner_(owner), keep_(keep) {}
    ~Hold() { owner_.release(keep_); }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    ResidentWeights& owner_;
    std::optional<Duration> keep_;
  };

  // Ends a request: the weights stay `keep` from now (nullopt: the default), then are freed.
  void release(std::optional<Duration> keep) {
    bool freed = false;
    {
      const std::lock_guard lock(mutex_);
      --holders_;
      freed = keep_locked(keep ? keep : default_keep_);
    }
    if (freed) notify(Residency::unloaded);
  }

  // Ollama's keep_alive without a request: negative for ever, zero frees now.
  void keep_alive(Duration keep) {
    bool freed = false;
    {
      const std::lock_guard lock(mutex_);
      if (!weights_) return;
      freed = keep_locked(keep);
    }
    if (freed) notify(Residency::unloaded);
  }

  Residency state() const {
    const std::lock_guard lock(mutex_);
    if (!failure_.empty()) return Residency::failed;
    if (loading_) return Residency::loading;
    return weights_ ? Residency::loaded : Residency::unloaded;
  }
  std::string failure() const {
    const std::lock_guard lock(mutex_);
    return failure_;
  }
  std::optional<Clock::time_point> expires_at() const {
    const std::lock_guard lock(mutex_);
    return expires_at_;
  }

 private:
  void begin_loading() {
    const std::lock_guard lock(mutex_);
    loading_ = true;
  }

  void finish_loading(std::shared_ptr<const Weights> fresh) {
    {
      const std::lock_guard lock(mutex_);
      loading_ = false;
      if (!failure_.empty()) return;  // shut down meanwhile
      weights_ = std::move(fresh);
      if (default_keep_ && default_keep_->count() >= 0) expires_at_ = Clock::now() + *default_keep_;
      changed_.notify_all();
    }
    notify(Residency::loaded);
  }

  // True when it freed the weights.
  bool keep_locked(std::optional<Duration> keep) {
    if (!keep || keep->count() < 0) {
      expires_at_.reset();
    } else {
      expires_at_ = Clock::now() + *keep;
    }
    changed_.notify_all();
    return free_if_expired_locked();
  }

  bool free_if_expired_locked() {
    if (!weights_ || holders_ > 0 || !expires_at_ || Clock::now() < *expires_at_) return false;
    weights_.reset();
    expires_at_.reset();
    return true;
  }

  void free_when_expired(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
      if (free_if_expired_locked()) {
        lock.unlock();
        notify(Residency::unloaded);
        lock.lock();
        continue;
      }
      const auto deadline = expires_at_;
      const auto changed = [this, deadline] { return expires_at_ != deadline; };
      // A deadline already past belongs to weights still held: their release sets a new one.
      if (deadline && *deadline > Clock::now()) {
        changed_.wait_until(lock, stop, *deadline, changed);
      } else {
        changed_.wait(lock, stop, changed);
      }
    }
  }

  void notify(Residency state) {
    Listener listener;
    {
      const std::lock_guard lock(mutex_);
      listener = listener_;
    }
    if (listener) listener(state);
  }

  Loader loader_;
  std::optional<Duration> default_keep_;
  mutable std::mutex mutex_;
  std::condition_variable_any changed_;
  std::shared_ptr<const Weights> weights_;
  bool loading_ = false;
  int holders_ = 0;
  std::string failure_;
  std::optional<Clock::time_point> expires_at_;
  Listener listener_;
  std::jthread expiry_;  // last: stopped and joined before the rest is destroyed
};

}  // namespace seer::bagel
