#include "bagel/attention.hpp"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>

#if __has_include(<ATen/ops/scaled_dot_product_attention.h>)
#define SEER_HAVE_FUSED_SDPA 1
#else
#define SEER_HAVE_FUSED_SDPA 0
#endif

namespace seer::models::bagel {
namespace {

[[maybe_unused]] at::Tensor attention_formula(const at::Tensor& q, const at::Tensor& k,
                                              const at::Tensor& v,
                                              const std::optional<at::Tensor>& mask) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  at::Tensor scores = at::matmul(q, k.transpose(-2, -1)).mul_(scale);
  if (mask.has_value()) {
    if (mask->scalar_type() == at::kBool) {
      scores.masked_fill_(mask->logical_not(), -std::numeric_limits<double>::infinity());
    } else {
      scores.add_(*mask);
    }
  }
  // Softmax in float32 keeps bf16 / fp16 runs as close to the fused kernels as possible.
  const at::Tensor weights = at::softmax(scores, -1, at::kFloat).to(q.scalar_type());
  return at::matmul(weights, v);
}

}  // namespace

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const std::optional<at::Tensor>& mask) {
#if SEER_HAVE_FUSED_SDPA
  // c10::optional is std::optional in recent libtorch and a distinct type in 2.0.
  const c10::optional<at::Tensor> fused_mask =
      mask.has_value() ? c10::optional<at::Tensor>(*mask) : c10::optional<at::Tensor>();
  return at::scaled_dot_product_attention(q, k, v, fused_mask, 0.0, false);
#else
  return attention_formula(q, k, v, mask);
#endif
}

}  // namespace seer::models::bagel
