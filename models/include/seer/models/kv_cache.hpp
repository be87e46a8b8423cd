#pragma once

// The language model's key/value cache: one preallocated buffer per layer, filled in order.

#include <ATen/core/Tensor.h>
#include <c10/core/TensorOptions.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace seer::models {

struct LanguageConfig;

class KvCache {
 public:
  // Buffers of [capacity, num_kv_heads, head_dim] per layer for keys and for values.
  KvCache(const LanguageConfig& config, std::int64_t capacity, at::TensorOptions options);

  std::int64_t length() const { return length_; }  // committed rows
  std::int64_t capacity() const { return capacity_; }
  std::int64_t num_layers() const { return static_cast<std::int64_t>(keys_.size()); }

  // Writes `keys`/`values` [n, num_kv_heads, head_dim] of `layer` after the committed rows and
  // returns views of the committed rows plus these; throws when the capacity would be exceeded.
  std::pair<at::Tensor, at::Tensor> append(std::int64_t layer, const at::Tensor& keys,
                                           const at::Tensor& values);
  // Makes `rows` appended rows part of the cache, once every layer has appended them.
  void commit(std::int64_t rows);
  void clear() { length_ = 0; }
  // Reallocates to `capacity` rows (never below the committed length), keeping the rows.
  void reserve(std::int64_t capacity);

 private:
  std::vector<at::Tensor> keys_;
  std::vector<at::Tensor> values_;
  std::int64_t capacity_ = 0;
  std::int64_t length_ = 0;
};

}  // namespace seer::models
