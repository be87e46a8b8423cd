#include "seer/models/static_decoder.hpp"

#include <ATen/ATen.h>

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#if __has_include(<ATen/ops/rms_norm.h>)
#define SEER_HAVE_FUSED_RMS_NORM 1
#else
#define SEER_HAVE_FUSED_RMS_NORM 0
#endif

#include "bagel/language_attention.hpp"
#include "bagel/language_rms_norm.hpp"
#include "bagel/rope.hpp"
#include "seer/models/cuda_runtime.hpp"
#include "static_decode/fused_weights.hpp"

namespace seer::models {

// Device tensors at fixed addresses: what a captured step reads and writes.
struct StaticDecoder::StepState {
  RotaryEmbedding rope;
  std::vector<at::Tensor> keys, values;  // per layer [kv_heads, capacity, head_dim]
  at::Tensor rows;                       // [capacity] int64 0..capacity-1
  at::Tensor token, row, rope_position;  // [1] int64: the step's input, its cache row, its angle
  at::Tensor logits;                     // [1, vocab] of the last step
  cuda::Graph graph;
};

namespace {

// Qwen2's RMSNorm in one kernel where libtorch has one (2.4+): one rounding to the model's dtype
// instead of two, and one launch instead of eight.
at::Tensor norm(const at::Tensor& x, const at::Tensor& weight, double eps) {
#if SEER_HAVE_FUSED_RMS_NORM
  return at::rms_norm(x, {x.size(-1)}, weight, eps);
#else
  return rms_norm(x, weight, eps);
#endif
}

// The query and key heads [n, heads + kv_heads, head_dim] (adjacent columns of the QKV
// product), each normalised with its own weight row, then rotated: one pass for both.
at::Tensor rotated_queries_and_keys(const at::Tensor& qk, const at::Tensor& weight, double eps,
                                    const RotaryTables& rotary) {
#if SEER_HAVE_FUSED_RMS_NORM
  return apply_rotary(at::rms_norm(qk, {qk.size(-1)}, std::nullopt, eps) * weight, rotary);
#else
  return apply_rotary(rms_norm(qk, weight, eps), rotary);
#endif
}

// One token's attention over the whole cache: `grouped` [kv_heads, group, d] queries, `keys` and
// `values` [kv_heads, capacity, d], `mask` [1, 1, capacity] additive. Fused attention kernels give
// each head one block at a single query row, reading thousands of keys on 4 of 132
// multiprocessors; two batched products spread the keys over the whole GPU.
at::Tensor decode_attention(const at::Tensor& grouped, const at::Tensor& keys,
                            const at::Tensor& values, const at::Tensor& mask) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(grouped.size(-1)));
  const at::Tensor scores = at::baddbmm(mask, grouped, keys.transpose(1, 2), 1.0, scale);
  // Softmax in float32, as the fused kernels accumulate.
  return at::bmm(at::softmax(scores, -1, at::kFloat).to(grouped.scalar_type()), values);
}

// x [n, hidden] times the joined matrix; an unfused step runs one product per row block of
// `widths`, as separate matrices would, and joins them.
at::Tensor project(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                   at::IntArrayRef widths, bool fuse) {
  if (fuse) return at::linear(x, weight, bias);
  std::vector<at::Tensor> parts;
  std::int64_t offset = 0;
  for (const std::int64_t width : widths) {
    const at::Tensor part_bias = bias.defined() ? bias.narrow(0, offset, width) : at::Tensor();
    parts.push_back(at::linear(x, weight.narrow(0, offset, width), part_bias));
    offset += width;
  }
  return at::cat(parts, -1);
}

}  // namespace

StaticDecoder::StaticDecoder(LanguageConfig config, const SafetensorsFile& checkpoint,
                             at::ScalarType dtype, at::Device device, StaticDecoderOptions options)
    : config_(std::move(config)),
      dtype_(dtype),
      device_(device),
      options_(options),
      weights_(std::make_unique<const FusedLanguageWeights>(
          fuse_language_weights(load_language_weights(config_, checkpoint, dtype, device)))) {
  if (options_.capacity <= 0) throw std::invalid_argument("StaticDecoder: capacity must be > 0");
  const auto long_options = at::TensorOptions().dtype(at::kLong).device(device_);
  const auto cache_options = at::TensorOptions().dtype(dtype_).device(device_);
  state_ = std::make_unique<StepState>(StepState{
      .rope = RotaryEmbedding(config_.head_dim, config_.rope_theta, device_),
      .keys = {},
      .values = {},
      .rows = at::arange(options_.capacity, long_options),
      .token = at::zeros({1}, long_options),
      .row = at::zeros({1}, long_options),
      .rope_position = at::zeros({1}, long_options),
      .logits = {},
      .graph = {},
  });
  for (std::int64_t layer = 0; layer < config_.num_layers; ++layer) {
    // Zeroed: masked rows are never read into a result, but NaN garbage would poison 0 * NaN.
    state_->keys.push_back(
        at::zeros({config_.num_kv_heads, options_.capacity, config_.head_dim}, cache_options));
    state_->values.push_back(at::zeros_like(state_->keys.back()));
  }
}

StaticDecoder::StaticDecoder(StaticDecoder&&) noexcept = default;
StaticDecoder& StaticDecoder::operator=(StaticDecoder&&) noexcept = default;
StaticDecoder::~StaticDecoder() = default;

at::Tensor StaticDecoder::embed(const at::Tensor& ids) const {
  return weights_->embed_tokens.index_select(0, ids.to(device_, at::kLong));
}

void StaticDecoder::set_step_options(bool cuda_graph, bool fuse_projections) {
  options_.cuda_graph = cuda_graph;
  options_.fuse_projections = fuse_projections;
  state_->graph = cuda::Graph();
}

void StaticDecoder::prefill(const LanguageSegment& segment) {
  const std::int64_t n = segment.embeddings.size(0);
  if (length_ + n > options_.capacity) {
    throw std::length_error("StaticDecoder: " + std::to_string(length_ + n) +
                            " rows exceed the capacity of " + std::to_string(options_.capacity));
  }
  const std::int64_t q_width = config_.num_heads * config_.head_dim;
  const std::int64_t kv_width = config_.num_kv_heads * config_.head_dim;
  const RotaryTables rotary = state_->rope.tables(segment.positions.to(device_), dtype_);
  at::Tensor x = segment.embeddings.to(device_, dtype_);
  for (std::size_t i = 0; i < weights_->layers.size(); ++i) {
    const FusedLayerWeights& w = weights_->layers[i];
    const double eps = config_.rms_norm_eps;
    const at::Tensor qkv = project(norm(x, w.input_norm, eps), w.qkv_proj, w.qkv_bias,
                                   {q_width, kv_width, kv_width}, true);
    const std::vector<at::Tensor> qk =
        rotated_queries_and_keys(qkv.narrow(-1, 0, q_width + kv_width)
                                     .view({n, config_.num_heads + config_.num_kv_heads, -1}),
                                 w.qk_norm, eps, rotary)
            .split_with_sizes({config_.num_heads, config_.num_kv_heads}, 1);
    const at::Tensor& q = qk[0];
    const at::Tensor& k = qk[1];
    const at::Tensor v =
        qkv.narrow(-1, q_width + kv_width, kv_width).view({n, config_.num_kv_heads, -1});
    at::Tensor& keys = state_->keys[i];
    at::Tensor& values = state_->values[i];
    keys.narrow(1, length_, n).copy_(k.transpose(0, 1));
    values.narrow(1, length_, n).copy_(v.transpose(0, 1));
    const at::Tensor attended =
        segment_attention(q, keys.narrow(1, 0, length_ + n).transpose(0, 1),
                          values.narrow(1, 0, length_ + n).transpose(0, 1), segment.attention);
    x = x + at::linear(attended, w.o_proj);
    const std::int64_t mlp = config_.intermediate_size;
    const at::Tensor gate_up =
        project(norm(x, w.post_attention_norm, eps), w.gate_up_proj, {}, {mlp, mlp}, true);
    x = x + at::linear(at::silu(gate_up.narrow(-1, 0, mlp)) * gate_up.narrow(-1, mlp, mlp),
                       w.down_proj);
  }
  length_ += n;
}

void StaticDecoder::step() {
  StepState& s = *state_;
  const bool fuse = options_.fuse_projections;
  const std::int64_t heads = config_.num_heads;
  const std::int64_t kv_heads = config_.num_kv_heads;
  const std::int64_t q_width = heads * config_.head_dim;
  const std::int64_t kv_width = kv_heads * config_.head_dim;
  const double eps = config_.rms_norm_eps;
  const RotaryTables rotary = s.rope.tables(s.rope_position, dtype_);
  // Rows up to and including this step's are visible: [1, 1, capacity] broadcast over heads.
  const at::Tensor visible =
      at::zeros({1, 1, options_.capacity}, at::TensorOptions().dtype(dtype_).device(device_))
          .masked_fill_(s.rows.gt(s.row), -std::numeric_limits<double>::infinity());
  at::Tensor x = weights_->embed_tokens.index_select(0, s.token);
  for (std::size_t i = 0; i < weights_->layers.size(); ++i) {
    const FusedLayerWeights& w = weights_->layers[i];
    const at::Tensor qkv = project(norm(x, w.input_norm, eps), w.qkv_proj, w.qkv_bias,
                                   {q_width, kv_width, kv_width}, fuse);
    const std::vector<at::Tensor> qk =
        rotated_queries_and_keys(
            qkv.narrow(-1, 0, q_width + kv_width).view({1, heads + kv_heads, -1}), w.qk_norm, eps,
            rotary)
            .split_with_sizes({heads, kv_heads}, 1);
    const at::Tensor& q = qk[0];
    s.keys[i].index_copy_(1, s.row, qk[1].transpose(0, 1));
    s.values[i].index_copy_(
        1, s.row,
        qkv.narrow(-1, q_width + kv_width, kv_width).view({1, kv_heads, -1}).transpose(0, 1));
    // GQA without copies: each kv head's query group becomes that head's query rows.
    const at::Tensor grouped = q.view({kv_heads, heads / kv_heads, -1});
    const at::Tensor attended = decode_attention(grouped, s.keys[i], s.values[i], visible);
    x = x + at::linear(attended.reshape({1, q_width}), w.o_proj);
    const std::int64_t mlp = config_.intermediate_size;
    const at::Tensor gate_up =
        project(norm(x, w.post_attention_norm, eps), w.gate_up_proj, {}, {mlp, mlp}, fuse);
    x = x + at::linear(at::silu(gate_up.narrow(-1, 0, mlp)) * gate_up.narrow(-1, mlp, mlp),
                       w.down_proj);
  }
  s.logits = at::linear(norm(x, weights_->final_norm, eps), weights_->lm_head);
  s.token.copy_(s.logits.argmax(-1));
  s.row.add_(1);
  s.rope_position.add_(1);
}

StaticDecodeResult StaticDecoder::decode(std::int64_t primer_id, std::int64_t rope_position,
                                         std::int64_t max_new_tokens, std::int64_t end_id) {
  StepState& s = *state_;
  s.token.fill_(primer_id);
  s.row.fill_(length_);
  s.rope_position.fill_(rope_position);
  const bool use_graph = options_.cuda_graph && device_.is_cuda();
  StaticDecodeResult result;
  for (std::int64_t produced = 0; produced < max_new_tokens; ++produced) {
    if (length_ + 1 > options_.capacity) break;
    const bool replay = use_graph && s.graph.captured();
    if (replay) {
      s.graph.replay();
    } else {
      step();
    }
    ++length_;
    if (!result.first_logits.defined()) result.first_logits = s.logits[0].to(at::kFloat).clone();
    const std::int64_t next = s.token.item<std::int64_t>();
    // The first step ran eagerly (cuBLAS and the allocator warmed up); record it for the rest.
    // Capturing runs nothing, so the token and logits just read stay valid.
    if (use_graph && !replay) s.graph.capture([this] { step(); });
    if (next == end_id) break;
    result.tokens.push_back(next);
  }
  return result;
}

}  // namespace seer::models
