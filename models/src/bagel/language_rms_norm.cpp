#include "bagel/language_rms_norm.hpp"

#include <ATen/ATen.h>

namespace seer::models {

at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  const at::Tensor wide = x.to(at::kFloat);
  const at::Tensor mean_square = wide.pow(2).mean(-1, /*keepdim=*/true);
  return weight * (wide * at::rsqrt(mean_square + eps)).to(x.scalar_type());
}

}  // namespace seer::models
