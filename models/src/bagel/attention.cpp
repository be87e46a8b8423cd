#include "bagel/attention.hpp"

#include <ATen/ATen.h>

#include <cmath>
#include <cstdint>
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

#if SEER_HAVE_FUSED_SDPA
// Whether this libtorch's fused attention takes `enable_gqa` (2.5+): kv heads read in groups.
template <typename Tensor>
concept FusedAttentionTakesGroups = requires(const Tensor& t, const c10::optional<Tensor>& mask) {
  at::scaled_dot_product_attention(t, t, t, mask, 0.0, false, std::nullopt, true);
};
#endif

// q [B, H, Sq, D] over k, v [B, G, Sk, D]: the fused kernels read each kv head for its group
// where they can, else the kv heads are repeated to H.
template <typename Tensor>
Tensor attention_over_groups(const Tensor& q, const Tensor& k, const Tensor& v,
                             const std::optional<Tensor>& mask) {
#if SEER_HAVE_FUSED_SDPA
  if constexpr (FusedAttentionTakesGroups<Tensor>) {
    const c10::optional<Tensor> fused_mask =
        mask.has_value() ? c10::optional<Tensor>(*mask) : c10::optional<Tensor>();
    return at::scaled_dot_product_attention(q, k, v, fused_mask, 0.0, false, std::nullopt,
                                            /*enable_gqa=*/true);
  }
#endif
  const std::int64_t group = q.size(1) / k.size(1);
  return attention(q, k.repeat_interleave(group, 1), v.repeat_interleave(group, 1), mask);
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

at::Tensor grouped_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                             const std::optional<at::Tensor>& mask) {
  if (q.size(1) == k.size(1)) return attention(q, k, v, mask);
  return attention_over_groups(q, k, v, mask);
}

}  // namespace seer::models::bagel
