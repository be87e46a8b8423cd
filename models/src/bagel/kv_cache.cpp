#include "seer/models/kv_cache.hpp"

#include <ATen/ATen.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "seer/models/language_config.hpp"

namespace seer::models {

KvCache::KvCache(const LanguageConfig& config, std::int64_t capacity, at::TensorOptions options)
    : capacity_(capacity) {
  if (capacity <= 0) throw std::invalid_argument("KvCache: capacity must be positive");
  keys_.reserve(static_cast<std::size_t>(config.num_layers));
  values_.reserve(static_cast<std::size_t>(config.num_layers));
  for (std::int64_t layer = 0; layer < config.num_layers; ++layer) {
    keys_.push_back(at::empty({capacity, config.num_kv_heads, config.head_dim}, options));
    values_.push_back(at::empty({capacity, config.num_kv_heads, config.head_dim}, options));
  }
}

std::pair<at::Tensor, at::Tensor> KvCache::append(std::int64_t layer, const at::Tensor& keys,
                                                  const at::Tensor& values) {
  if (layer < 0 || layer >= num_layers()) {
    throw std::out_of_range("KvCache: no layer " + std::to_string(layer));
  }
  const std::int64_t end = length_ + keys.size(0);
  if (end > capacity_) {
    throw std::length_error("KvCache: " + std::to_string(end) + " rows exceed the capacity of " +
                            std::to_string(capacity_));
  }
  at::Tensor& key_buffer = keys_[static_cast<std::size_t>(layer)];
  at::Tensor& value_buffer = values_[static_cast<std::size_t>(layer)];
  key_buffer.narrow(0, length_, keys.size(0)).copy_(keys);
  value_buffer.narrow(0, length_, values.size(0)).copy_(values);
  return {key_buffer.narrow(0, 0, end), value_buffer.narrow(0, 0, end)};
}

void KvCache::commit(std::int64_t rows) {
  if (rows < 0 || length_ + rows > capacity_) {
    throw std::length_error("KvCache: cannot commit " + std::to_string(rows) + " rows");
  }
  length_ += rows;
}

void KvCache::reserve(std::int64_t capacity) {
  if (capacity < length_) {
    throw std::length_error("KvCache: cannot shrink to " + std::to_string(capacity) +
                            " rows below the " + std::to_string(length_) + " committed");
  }
  for (std::vector<at::Tensor>* buffers : {&keys_, &values_}) {
    for (at::Tensor& buffer : *buffers) {
      std::vector<std::int64_t> shape = buffer.sizes().vec();
      shape[0] = capacity;
      at::Tensor grown = at::empty(shape, buffer.options());
      grown.narrow(0, 0, length_).copy_(buffer.narrow(0, 0, length_));
      buffer = std::move(grown);
    }
  }
  capacity_ = capacity;
}

}  // namespace seer::models
