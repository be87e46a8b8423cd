// CPU-only libtorch: no device, no graphs.
#include <stdexcept>

#include "seer/models/cuda_runtime.hpp"

namespace seer::models::cuda {

bool available() { return false; }
void synchronize() {}
std::int64_t peak_allocated_bytes() { return 0; }
void reset_peak_allocated_bytes() {}

struct Graph::Impl {};

Graph::Graph() = default;
Graph::Graph(Graph&&) noexcept = default;
Graph& Graph::operator=(Graph&&) noexcept = default;
Graph::~Graph() = default;

void Graph::capture(const std::function<void()>& /*work*/) {
  throw std::runtime_error("cuda::Graph: this libtorch was built without CUDA");
}
bool Graph::captured() const { return false; }
void Graph::replay() { throw std::runtime_error("cuda::Graph: nothing was captured"); }

}  // namespace seer::models::cuda
