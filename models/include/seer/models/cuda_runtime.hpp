#pragma once

// The few CUDA runtime services the fast decode path and the benchmark need, behind an interface
// that also links against a CPU-only libtorch (where they report no CUDA or throw).

#include <cstdint>
#include <functional>
#include <memory>

namespace seer::models::cuda {

// True when libtorch was built with CUDA and sees a device.
bool available();
// Waits for every queued kernel of the current device.
void synchronize();
// Peak bytes held by libtorch's caching allocator on the current device since the last reset.
std::int64_t peak_allocated_bytes();
void reset_peak_allocated_bytes();

// One captured sequence of kernels, replayed without host launch overhead; device tensors the
// captured work reads and writes must stay allocated and at the same addresses.
class Graph {
 public:
  Graph();
  Graph(Graph&&) noexcept;
  Graph& operator=(Graph&&) noexcept;
  ~Graph();

  // Records `work` on a side stream (the work is not executed); throws std::runtime_error
  // without CUDA.
  void capture(const std::function<void()>& work);
  bool captured() const;
  // Enqueues the recorded kernels on the current stream.
  void replay();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seer::models::cuda
