#include "seer/models/language_model.hpp"

#include <ATen/ATen.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "bagel/language_layer.hpp"
#include "bagel/language_rms_norm.hpp"
#include "bagel/language_weights.hpp"
#include "bagel/rope.hpp"

namespace seer::models {

LanguageModel::LanguageModel(LanguageConfig config, const SafetensorsFile& checkpoint,
                             at::ScalarType dtype, at::Device device, const LoadProgress& progress)
    : config_(std::move(config)),
      dtype_(dtype),
      device_(device),
      weights_(std::make_shared<const LanguageWeights>(
          load_language_weights(config_, checkpoint, dtype, device, progress))) {}

KvCache LanguageModel::make_cache(std::int64_t capacity) const {
  return KvCache(config_, capacity, at::TensorOptions().dtype(dtype_).device(device_));
}

at::Tensor LanguageModel::embed(const at::Tensor& ids) const {
  return weights_->embed_tokens.index_select(0, ids.to(device_, at::kLong));
}

at::Tensor LanguageModel::forward(const LanguageSegment& segment, KvCache& cache) const {
  const std::int64_t rows = segment.embeddings.size(0);
  if (segment.embeddings.dim() != 2 || segment.embeddings.size(1) != config_.hidden_size ||
      segment.positions.dim() != 1 || segment.positions.size(0) != rows) {
    throw std::invalid_argument("LanguageModel::forward: a segment needs embeddings [n, " +
                                std::to_string(config_.hidden_size) + "] and positions [n]");
  }
  const RotaryEmbedding rope(config_.head_dim, config_.rope_theta, device_);
  const RotaryTables rotary = rope.tables(segment.positions.to(device_), dtype_);
  at::Tensor hidden = segment.embeddings.to(device_, dtype_);
  for (std::size_t layer = 0; layer < weights_->layers.size(); ++layer) {
    const DecoderLayerInput input{weights_->layers[layer], static_cast<std::int64_t>(layer), rotary,
                                  segment.attention};
    hidden = decoder_layer_forward(config_, input, hidden, cache);
  }
  cache.commit(rows);
  return rms_norm(hidden, weights_->final_norm, config_.rms_norm_eps);
}

at::Tensor LanguageModel::logits(const at::Tensor& hidden) const {
  return at::linear(hidden, weights_->lm_head).to(at::kFloat);
}

}  // namespace seer::models
