#include "bagel/rope.hpp"

#include <ATen/ATen.h>

namespace seer::models {

RotaryEmbedding::RotaryEmbedding(std::int64_t head_dim, double theta, at::Device device) {
  const auto float_options = at::TensorOptions().dtype(at::kFloat).device(device);
  const at::Tensor exponents =
      at::arange(0, head_dim, 2, float_options) / static_cast<double>(head_dim);
  inverse_frequencies_ = at::reciprocal(at::pow(theta, exponents));
}

RotaryTables RotaryEmbedding::tables(const at::Tensor& positions, at::ScalarType dtype) const {
  const at::Tensor angles =
      positions.to(at::kFloat).unsqueeze(1) * inverse_frequencies_.unsqueeze(0);
  // Each angle serves both halves of the head (the rotate-half pairing i <-> i + d/2).
  const at::Tensor doubled = at::cat({angles, angles}, 1).unsqueeze(1);
  return {doubled.cos().to(dtype), doubled.sin().to(dtype)};
}

at::Tensor apply_rotary(const at::Tensor& x, const RotaryTables& tables) {
  const std::int64_t half = x.size(-1) / 2;
  const at::Tensor rotated = at::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
  return x * tables.cos + rotated * tables.sin;
}

}  // namespace seer::models
