#pragma once
// The runtime's thread pool: one Boost.Asio io_context run by a fixed number of threads.
// I/O, timers and bus delivery run here; long work (models, cameras) owns its own threads.

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <thread>
#include <vector>

namespace seer {

class Executor {
 public:
  explicit Executor(std::size_t threads);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  boost::asio::io_context& context() { return context_; }
  std::size_t thread_count() const { return threads_.size(); }
  // True when called from one of this executor's threads.
  bool running_in_this_thread() const;

  // Lets queued work finish (for up to two seconds), then joins the threads. Idempotent;
  // called by the destructor too.
  void stop();

 private:
  boost::asio::io_context context_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

}  // namespace seer
