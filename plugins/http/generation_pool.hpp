#pragma once
// The plugin's own threads for generations, so chat and generate never run on the I/O threads.
// A fixed number of workers take jobs from a bounded queue in arrival order.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace seer::http {

class GenerationPool {
 public:
  using Job = std::function<void()>;

  GenerationPool(int workers, std::size_t max_queue);
  ~GenerationPool();
  GenerationPool(const GenerationPool&) = delete;
  GenerationPool& operator=(const GenerationPool&) = delete;

  // False when `max_queue` jobs are already waiting (the caller answers 503) or the pool has
  // stopped. Jobs must not throw.
  bool submit(Job job);
  // Drops the waiting jobs and joins the workers once their running jobs return (callers
  // cancel those first). Idempotent.
  void stop();

 private:
  void work(std::stop_token stop);

  std::size_t max_queue_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::deque<Job> queue_;
  std::size_t running_ = 0;
  bool stopped_ = false;
  std::vector<std::jthread> workers_;
};

}  // namespace seer::http
