#include "bagel/language_attention.hpp"

#include <ATen/ATen.h>

#include <optional>

#include "bagel/attention.hpp"

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
  // [1, heads, len, d] and [1, kv_heads, len, d]: views, the kv heads read in their groups.
  const at::Tensor q = queries.transpose(0, 1).unsqueeze(0);
  const at::Tensor k = keys.transpose(0, 1).unsqueeze(0);
  const at::Tensor v = values.transpose(0, 1).unsqueeze(0);
  // A single query, or a bidirectional segment, sees every key: no mask needed.
  std::optional<at::Tensor> mask;
  if (attention == SegmentAttention::kCausal && query_len > 1) {
    mask = segment_attention_mask(query_len, key_len, attention, queries.device());
  }
  const at::Tensor out = bagel::grouped_attention(q, k, v, mask).squeeze(0);
  return out.transpose(0, 1).reshape({query_len, -1});
}

}  // namespace seer::models
