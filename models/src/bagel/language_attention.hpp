#pragma once

// Scaled dot-product attention of a new segment's queries over the cached plus new keys.

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "seer/models/language_model.hpp"

namespace seer::models {

// True where query i of `query_len` may see key j of `key_len`; the queries are the last
// `query_len` keys (bottom-right aligned), so causal query i sees keys 0..key_len-query_len+i.
at::Tensor segment_attention_mask(std::int64_t query_len, std::int64_t key_len,
                                  SegmentAttention attention, at::Device device);

// queries [n, heads, d], keys/values [m, kv_heads, d] with m >= n -> [n, heads * d].
// Query head h reads kv head h / (heads / kv_heads); scale 1/sqrt(d).
at::Tensor segment_attention(const at::Tensor& queries, const at::Tensor& keys,
                             const at::Tensor& values, SegmentAttention attention);

}  // namespace seer::models
