#pragma once

// Scaled dot-product attention on [B, H, S, D] tensors, through libtorch's fused kernel where the
// libtorch at hand has one (2.x) and through the plain formula otherwise (Debian's 1.13).

#include <ATen/core/Tensor.h>

#include <optional>

namespace seer::models::bagel {

// softmax(q k^T / sqrt(D) + mask) v. `mask` broadcasts to [B, H, Sq, Sk]: boolean (true = may
// attend) or additive (same dtype as q). q, k and v share B and H (repeat grouped K/V first).
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const std::optional<at::Tensor>& mask = std::nullopt);

// The same with grouped keys and values: q [B, H, Sq, D], k and v [B, G, Sk, D] with H a
// multiple of G; query head h reads kv head h / (H / G). Where the libtorch at hand takes
// `enable_gqa` (2.5+), the fused kernels read the groups in place; elsewhere the kv heads are
// repeated first.
at::Tensor grouped_attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                             const std::optional<at::Tensor>& mask = std::nullopt);

}  // namespace seer::models::bagel
