#include "bagel/language_attention.hpp"

#include <ATen/ATen.h>
#include <c10/util/Optional.h>

#include <cmath>
#include <limits>

#if __has_include(<ATen/ops/scaled_dot_product_attention.h>)
#define SEER_LANGUAGE_HAVE_SDPA 1
#endif

namespace seer::models {

at::Tensor segment_attention_mask(std::int64_t query_len, std::int64_t key_len,
                                  SegmentAttention attention, at::Device device) {
  const auto bool_options = at::TensorOptions().dtype(at::kBool).device(device);
  if (attention == SegmentAttention::kBidirectional) {
    return at::ones({query_len, key_len}, bool_options);
  }
  // Query i may see key j when j <= (key_len - query_len) + i.
  return at::ones({query_len, key_len}, bool_options).tril(key_len - query_len);
}

at::Tensor segment_attention(const at::Tensor& queries, const at::Tensor& keys,
                             const at::Tensor& values, SegmentAttention attention) {
  const std::int64_t query_len = queries.size(0);
  const std::int64_t key_len = keys.size(0);
  const std::int64_t group = queries.size(1) / keys.size(1);
  // [heads, len, d] with the kv heads repeated for their query-head group (GQA).
  const at::Tensor q = queries.transpose(0, 1);
  const at::Tensor k = keys.repeat_interleave(group, 1).transpose(0, 1);
  const at::Tensor v = values.repeat_interleave(group, 1).transpose(0, 1);
  // A single query, or a bidirectional segment, sees every key: no mask needed.
  const bool needs_mask = attention == SegmentAttention::kCausal && query_len > 1;
#ifdef SEER_LANGUAGE_HAVE_SDPA
  c10::optional<at::Tensor> mask;  // c10's optional is what every libtorch's SDPA takes
  if (needs_mask) {
    mask = segment_attention_mask(query_len, key_len, attention, queries.device());
  }
  const at::Tensor out = at::scaled_dot_product_attention(q, k, v, mask);
#else
  at::Tensor scores = at::matmul(q.to(at::kFloat), k.to(at::kFloat).transpose(1, 2)) /
                      std::sqrt(static_cast<double>(queries.size(2)));
  if (needs_mask) {
    const at::Tensor mask = segment_attention_mask(query_len, key_len, attention, queries.device());
    scores.masked_fill_(mask.logical_not(), -std::numeric_limits<float>::infinity());
  }
  const at::Tensor out = at::matmul(scores.softmax(-1), v.to(at::kFloat)).to(queries.scalar_type());
#endif
  return out.transpose(0, 1).reshape({query_len, -1});
}

}  // namespace seer::models
