#include "generation_pool.hpp"

namespace seer::http {

GenerationPool::GenerationPool(int workers, std::size_t max_queue) : max_queue_(max_queue) {
  workers_.reserve(static_cast<std::size_t>(workers));
  for (int i = 0; i < workers; ++i) {
    workers_.emplace_back([this](std::stop_token stop) { work(stop); });
  }
}

GenerationPool::~GenerationPool() { stop(); }

bool GenerationPool::submit(Job job) {
  {
    const std::lock_guard lock(mutex_);
    // Idle workers take a job at once; only the jobs beyond them count against max_queue.
    const std::size_t idle = workers_.size() - running_;
    if (stopped_ || queue_.size() >= max_queue_ + idle) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void GenerationPool::stop() {
  std::deque<Job> dropped;
  {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
    dropped.swap(queue_);
  }
  for (auto& worker : workers_) worker.request_stop();
  wake_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void GenerationPool::work(std::stop_token stop) {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      if (!wake_.wait(lock, stop, [this] { return !queue_.empty(); })) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    job();
    const std::lock_guard lock(mutex_);
    --running_;
  }
}

}  // namespace seer::http
