#pragma once

// Qwen2's rotary position embedding (rotate-half form) at explicit integer positions.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>

namespace seer::models {

// cos/sin of every position's angles, [n, 1, head_dim], broadcasting over heads.
struct RotaryTables {
  at::Tensor cos;
  at::Tensor sin;
};

class RotaryEmbedding {
 public:
  RotaryEmbedding(std::int64_t head_dim, double theta, at::Device device);

  // Angles computed in float32 (as Qwen2 does), then cast to `dtype`.
  RotaryTables tables(const at::Tensor& positions, at::ScalarType dtype) const;
  // [head_dim / 2] float32 on the device: the angle of position p in pair i is p * this[i].
  const at::Tensor& inverse_frequencies() const { return inverse_frequencies_; }

 private:
  at::Tensor inverse_frequencies_;  // [head_dim / 2] float32
};

// x [n, heads, head_dim] rotated: x * cos + rotate_half(x) * sin.
at::Tensor apply_rotary(const at::Tensor& x, const RotaryTables& tables);

}  // namespace seer::models
