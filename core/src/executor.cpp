#include <seer/executor.hpp>

#include <algorithm>
#include <chrono>

namespace seer {
namespace {
// Which executor, if any, owns the current thread.
thread_local const Executor* current_executor = nullptr;
}  // namespace

Executor::Executor(std::size_t threads) : work_(boost::asio::make_work_guard(context_)) {
  const std::size_t count = std::max<std::size_t>(threads, 1);
  threads_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    threads_.emplace_back([this] {
      current_executor = this;
      context_.run();
    });
  }
}

Executor::~Executor() { stop(); }

bool Executor::running_in_this_thread() const { return current_executor == this; }

void Executor::stop() {
  work_.reset();
  // Queued work gets a grace period to finish; a forgotten timer must not hang shutdown.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!context_.stopped() && std::chrono::steady_clock::now() < deadline &&
         !running_in_this_thread()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  context_.stop();
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      if (thread.get_id() == std::this_thread::get_id()) {
        thread.detach();  // stopping from inside the pool: the thread ends when run() returns
      } else {
        thread.join();
      }
    }
  }
  threads_.clear();
}

}  // namespace seer
