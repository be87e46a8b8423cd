// CUDA builds of libtorch: the caching allocator's statistics and at::cuda::CUDAGraph.
#include <ATen/Context.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include <stdexcept>

#include "seer/models/cuda_runtime.hpp"

namespace seer::models::cuda {

bool available() { return at::hasCUDA(); }

void synchronize() { c10::cuda::device_synchronize(); }

std::int64_t peak_allocated_bytes() {
  using c10::CachingAllocator::StatType;
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(c10::cuda::current_device());
  return stats.allocated_bytes[static_cast<std::size_t>(StatType::AGGREGATE)].peak;
}

void reset_peak_allocated_bytes() {
  c10::cuda::CUDACachingAllocator::resetPeakStats(c10::cuda::current_device());
}

struct Graph::Impl {
  at::cuda::CUDAGraph graph;
  bool captured = false;
};

Graph::Graph() : impl_(std::make_unique<Impl>()) {}
Graph::Graph(Graph&&) noexcept = default;
Graph& Graph::operator=(Graph&&) noexcept = default;
Graph::~Graph() = default;

void Graph::capture(const std::function<void()>& work) {
  if (impl_->captured) throw std::runtime_error("cuda::Graph: already captured");
  // Capture needs a stream other than the legacy default one, and no work still in flight.
  synchronize();
  const c10::cuda::CUDAStream side = c10::cuda::getStreamFromPool();
  {
    const c10::cuda::CUDAStreamGuard guard(side);
    impl_->graph.capture_begin();
    work();
    impl_->graph.capture_end();
  }
  synchronize();
  impl_->captured = true;
}

bool Graph::captured() const { return impl_->captured; }

void Graph::replay() {
  if (!impl_->captured) throw std::runtime_error("cuda::Graph: nothing was captured");
  impl_->graph.replay();
}

}  // namespace seer::models::cuda
