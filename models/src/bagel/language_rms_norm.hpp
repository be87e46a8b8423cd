#pragma once

// Qwen2's RMSNorm over the last dimension.

#include <ATen/core/Tensor.h>

namespace seer::models {

// Normalised in float32, cast back to x's dtype, then scaled by `weight`.
at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps);

}  // namespace seer::models
