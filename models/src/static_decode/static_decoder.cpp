#include "seer/models/static_decoder.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <span>
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
#include "kernels/decode_kernels.hpp"
#include "seer/models/cuda_runtime.hpp"
#include "static_decode/fused_weights.hpp"
#include "static_decode/stored_weights.hpp"

namespace seer::models {

// Device tensors at fixed addresses: what a captured step reads and writes. Per slot: its
// token, the cache row it writes and its RoPE position.
struct StaticDecoder::StepState {
  RotaryEmbedding rope;
  std::vector<at::Tensor> keys, values;      // per layer [slots, kv_heads, capacity, head_dim]
  at::Tensor rows;                           // [capacity] int64 0..capacity-1
  at::Tensor tokens, cache_rows, positions;  // [slots] int64
  at::Tensor logits;  // [batch, vocab] of the last step run (eagerly or while recording)
  // A batch size's recorded step and the logits buffer its replays write: each recording has
  // its own, so `logits` above is not what a replay of an earlier-recorded size fills.
  struct Recorded {
    cuda::Graph graph;
    at::Tensor logits;
  };
  std::map<std::int64_t, Recorded> graphs;  // by batch size
  at::Tensor step_logits;                   // what step_slots produced
  at::Tensor attention;                     // scratch for every slot; made by the first kernel step
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

// One token's attention per sequence over its whole cache slot: `grouped` [batch, kv_heads,
// group, d] queries, `keys` and `values` [batch, kv_heads, capacity, d], `mask` [batch, 1, 1,
// capacity] additive. Two batched products spread the keys over the whole GPU where fused
// attention kernels would give each head one block.
at::Tensor decode_attention(const at::Tensor& grouped, const at::Tensor& keys,
                            const at::Tensor& values, const at::Tensor& mask) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(grouped.size(-1)));
  const at::Tensor scores = at::matmul(grouped, keys.transpose(-1, -2)).mul_(scale).add_(mask);
  // Softmax in float32, as the fused kernels accumulate.
  return at::matmul(at::softmax(scores, -1, at::kFloat).to(grouped.scalar_type()), values);
}

// The library's product for unquantised weights (the step without seer's kernels).
at::Tensor library_linear(const at::Tensor& x, const LinearWeight& weight,
                          const at::Tensor& bias = {}) {
  if (weight.quantization != Quantization::none) return apply_linear(x, weight, bias);
  return at::linear(x, weight.data, bias.defined() ? bias : at::Tensor());
}

// x [n, hidden] times the joined matrix; an unfused step runs one product per row block of
// `widths`, as separate matrices would, and joins them (unquantised weights only).
at::Tensor project(const at::Tensor& x, const LinearWeight& weight, const at::Tensor& bias,
                   at::IntArrayRef widths, bool fuse) {
  if (fuse || weight.quantization != Quantization::none) return library_linear(x, weight, bias);
  std::vector<at::Tensor> parts;
  std::int64_t offset = 0;
  for (const std::int64_t width : widths) {
    const at::Tensor part_bias = bias.defined() ? bias.narrow(0, offset, width) : at::Tensor();
    parts.push_back(at::linear(x, weight.data.narrow(0, offset, width), part_bias));
    offset += width;
  }
  return at::cat(parts, -1);
}

// A segment's qkv [n, (heads + 2 kv_heads) * d] through the library's kernels: queries and keys
// normalised and rotated, keys and values written to rows [first_row, first_row + n) of one
// slot's caches [kv_heads, capacity, d]; returns the queries [n, heads, d].
at::Tensor library_qkv_to_cache(const at::Tensor& qkv, const at::Tensor& qk_norm,
                                const RotaryTables& rotary, std::int64_t first_row,
                                const at::Tensor& keys, const at::Tensor& values,
                                const LanguageConfig& config) {
  const std::int64_t n = qkv.size(0);
  const std::int64_t q_width = config.num_heads * config.head_dim;
  const std::int64_t kv_width = config.num_kv_heads * config.head_dim;
  const std::vector<at::Tensor> qk =
      rotated_queries_and_keys(qkv.narrow(-1, 0, q_width + kv_width)
                                   .view({n, config.num_heads + config.num_kv_heads, -1}),
                               qk_norm, config.rms_norm_eps, rotary)
          .split_with_sizes({config.num_heads, config.num_kv_heads}, 1);
  const at::Tensor v =
      qkv.narrow(-1, q_width + kv_width, kv_width).view({n, config.num_kv_heads, -1});
  keys.narrow(1, first_row, n).copy_(qk[1].transpose(0, 1));
  values.narrow(1, first_row, n).copy_(v.transpose(0, 1));
  return qk[0];
}

// Each segment's queries (consecutive rows of `queries` [n, heads, d]) over one slot's cache
// rows [kv_heads, capacity, d] up to its own last row, written from `first_row` on: the rows
// before it and, per its kind, all of its own or the earlier ones. -> [n, heads * d].
at::Tensor segments_attention(const at::Tensor& queries, const at::Tensor& keys,
                              const at::Tensor& values, std::int64_t first_row,
                              std::span<const LanguageSegment> segments) {
  std::vector<at::Tensor> parts;
  std::int64_t offset = 0;
  for (const LanguageSegment& segment : segments) {
    const std::int64_t n = segment.embeddings.size(0);
    if (n == 0) continue;
    const std::int64_t seen = first_row + offset + n;
    parts.push_back(
        segment_attention(queries.narrow(0, offset, n), keys.narrow(1, 0, seen).transpose(0, 1),
                          values.narrow(1, 0, seen).transpose(0, 1), segment.attention));
    offset += n;
  }
  return parts.size() == 1 ? parts.front() : at::cat(parts);
}

// x += input times the weight's transpose. For many rows of a weight stored as it is, cuBLAS
// reads the residual itself (beta = 1) instead of a separate pass adding it.
void add_product(at::Tensor& x, const at::Tensor& input, const LinearWeight& weight) {
  if (weight.quantization != Quantization::none || kernels::gemv_fits(input, weight)) {
    x = apply_linear(input, weight, {}, x);
  } else {
    x.addmm_(input, weight.data.t());
  }
}

// gate_up [n, 2 mlp] -> silu(gate) * up [n, mlp].
at::Tensor silu_mul(const at::Tensor& gate_up) {
  const std::int64_t mlp = gate_up.size(-1) / 2;
  return at::silu(gate_up.narrow(-1, 0, mlp)) * gate_up.narrow(-1, mlp, mlp);
}

std::int64_t layer_bytes(const FusedLayerWeights& w) {
  std::int64_t total =
      w.qkv_proj.bytes() + w.o_proj.bytes() + w.gate_up_proj.bytes() + w.down_proj.bytes();
  for (const at::Tensor* t : {&w.input_norm, &w.post_attention_norm, &w.qkv_bias, &w.qk_norm}) {
    total += static_cast<std::int64_t>(t->nbytes());
  }
  return total;
}

}  // namespace

StaticDecoder::StaticDecoder(LanguageConfig config, const SafetensorsFile& checkpoint,
                             at::ScalarType dtype, at::Device device, StaticDecoderOptions options)
    : config_(std::move(config)),
      dtype_(dtype),
      device_(device),
      options_(std::move(options)),
      lengths_(static_cast<std::size_t>(std::max<std::int64_t>(options_.slots, 1)), 0) {
  if (options_.capacity <= 0) throw std::invalid_argument("StaticDecoder: capacity must be > 0");
  if (options_.slots < 1 || options_.slots > kMaxStaticSlots) {
    throw std::invalid_argument("StaticDecoder: slots must be 1.." +
                                std::to_string(kMaxStaticSlots));
  }
  // Where seer's kernels can run, the products normalise their own inputs (norms folded in).
  const bool fold_norms =
      kernels::available_for(at::empty({0}, at::TensorOptions().dtype(dtype).device(device)));
  weights_ = std::make_unique<const FusedLanguageWeights>(
      load_fused_weights(config_, checkpoint, dtype, device, options_.quantization,
                         options_.quantized_cache, options_.on_cache_warning, fold_norms));
  const auto long_options = at::TensorOptions().dtype(at::kLong).device(device_);
  const auto cache_options = at::TensorOptions().dtype(dtype_).device(device_);
  state_ = std::make_unique<StepState>(StepState{
      .rope = RotaryEmbedding(config_.head_dim, config_.rope_theta, device_),
      .keys = {},
      .values = {},
      .rows = at::arange(options_.capacity, long_options),
      .tokens = at::zeros({options_.slots}, long_options),
      .cache_rows = at::zeros({options_.slots}, long_options),
      .positions = at::zeros({options_.slots}, long_options),
      .logits = {},
      .graphs = {},
      .step_logits = {},
  });
  for (std::int64_t layer = 0; layer < config_.num_layers; ++layer) {
    // Zeroed: masked rows are never read into a result, but NaN garbage would poison 0 * NaN.
    state_->keys.push_back(
        at::zeros({options_.slots, config_.num_kv_heads, options_.capacity, config_.head_dim},
                  cache_options));
    state_->values.push_back(at::zeros_like(state_->keys.back()));
  }
}

StaticDecoder::StaticDecoder(StaticDecoder&&) noexcept = default;
StaticDecoder& StaticDecoder::operator=(StaticDecoder&&) noexcept = default;
StaticDecoder::~StaticDecoder() = default;

bool StaticDecoder::uses_own_kernels() const {
  return options_.own_kernels && kernels::available_for(state_->keys.front()) &&
         config_.num_heads / config_.num_kv_heads <= 8 && config_.head_dim % 8 == 0 &&
         config_.head_dim <= 256 && config_.hidden_size % 8 == 0;
}

std::int64_t StaticDecoder::weight_bytes_per_step() const {
  std::int64_t total =
      weights_->lm_head.bytes() + static_cast<std::int64_t>(weights_->final_norm.nbytes());
  for (const FusedLayerWeights& layer : weights_->layers) total += layer_bytes(layer);
  return total;
}

void StaticDecoder::clear() {
  std::fill(lengths_.begin(), lengths_.end(), 0);
  state_->cache_rows.zero_();
}

void StaticDecoder::clear(std::int64_t slot) {
  lengths_.at(static_cast<std::size_t>(slot)) = 0;
  state_->cache_rows.narrow(0, slot, 1).zero_();
}

std::int64_t StaticDecoder::resident_weight_bytes() const {
  return weight_bytes_per_step() + static_cast<std::int64_t>(weights_->embed_tokens.nbytes());
}

at::Tensor StaticDecoder::embed(const at::Tensor& ids) const {
  return weights_->embed_tokens.index_select(0, ids.to(device_, at::kLong));
}

void StaticDecoder::set_step_options(bool cuda_graph, bool fuse_projections, bool own_kernels) {
  options_.cuda_graph = cuda_graph;
  options_.fuse_projections = fuse_projections;
  options_.own_kernels = own_kernels;
  state_->graphs.clear();
}

void StaticDecoder::prefill(const LanguageSegment& segment, std::int64_t slot) {
  prefill_rows(std::span(&segment, 1), slot);
}

void StaticDecoder::prefill_segments(std::span<const LanguageSegment> segments, std::int64_t slot) {
  prefill_rows(segments, slot);
}

at::Tensor StaticDecoder::prefill_logits(std::span<const LanguageSegment> segments,
                                         std::int64_t slot) {
  const at::Tensor rows = prefill_rows(segments, slot);
  const at::Tensor last = rows.narrow(0, rows.size(0) - 1, 1);
  const double eps = config_.rms_norm_eps;
  const at::Tensor normed = uses_own_kernels() ? kernels::rms_norm(last, weights_->final_norm, eps)
                                               : norm(last, weights_->final_norm, eps);
  return apply_linear(normed, weights_->lm_head).squeeze(0).to(at::kFloat);
}

std::pair<at::Tensor, at::Tensor> StaticDecoder::cached_rows(std::int64_t layer,
                                                             std::int64_t slot) const {
  const std::int64_t length = lengths_.at(static_cast<std::size_t>(slot));
  const auto index = static_cast<std::size_t>(layer);
  return {state_->keys.at(index).select(0, slot).narrow(1, 0, length),
          state_->values.at(index).select(0, slot).narrow(1, 0, length)};
}

at::Tensor StaticDecoder::prefill_rows(std::span<const LanguageSegment> segments,
                                       std::int64_t slot) {
  if (segments.empty()) throw std::invalid_argument("StaticDecoder: no segments to prefill");
  std::int64_t& length = lengths_.at(static_cast<std::size_t>(slot));
  std::int64_t n = 0;
  std::vector<at::Tensor> embeddings, positions;
  for (const LanguageSegment& segment : segments) {
    n += segment.embeddings.size(0);
    embeddings.push_back(segment.embeddings.to(device_, dtype_));
    positions.push_back(segment.positions.to(device_));
  }
  if (length + n > options_.capacity) {
    throw std::length_error("StaticDecoder: " + std::to_string(length + n) +
                            " rows exceed the capacity of " + std::to_string(options_.capacity));
  }
  if (n == 0) throw std::invalid_argument("StaticDecoder: the segments hold no rows");
  // seer's kernels for the elementwise passes where the step runs on them; the library's (the
  // CPU reference) elsewhere. The products and the attention are the library's either way.
  const bool own = uses_own_kernels() && config_.intermediate_size % 8 == 0;
  const double eps = config_.rms_norm_eps;
  const auto row_norm = [own, eps](const at::Tensor& x, const at::Tensor& weight) {
    return own ? kernels::rms_norm(x, weight, eps) : norm(x, weight, eps);
  };
  const at::Tensor row_positions = positions.size() == 1 ? positions.front() : at::cat(positions);
  const std::optional<RotaryTables> rotary =
      own ? std::nullopt : std::optional(state_->rope.tables(row_positions, dtype_));
  at::Tensor x = at::cat(embeddings);  // a copy of its own: the residual adds write into it
  for (std::size_t i = 0; i < weights_->layers.size(); ++i) {
    const FusedLayerWeights& w = weights_->layers[i];
    const at::Tensor keys = state_->keys[i].select(0, slot);
    const at::Tensor values = state_->values[i].select(0, slot);
    const at::Tensor qkv = apply_linear(row_norm(x, w.input_norm), w.qkv_proj, w.qkv_bias);
    const at::Tensor queries =
        own ? kernels::prefill_qkv_to_cache(qkv, w.qk_norm, state_->rope.inverse_frequencies(),
                                            row_positions, length, keys, values, config_.num_heads,
                                            eps)
            : library_qkv_to_cache(qkv, w.qk_norm, *rotary, length, keys, values, config_);
    add_product(x, segments_attention(queries, keys, values, length, segments), w.o_proj);
    const at::Tensor gate_up = apply_linear(row_norm(x, w.post_attention_norm), w.gate_up_proj);
    add_product(x, own ? kernels::prefill_silu_mul(gate_up) : silu_mul(gate_up), w.down_proj);
  }
  length += n;
  // A step with this slot riding along writes past its rows, never into them.
  state_->cache_rows.narrow(0, slot, 1).fill_(length);
  return x;
}

void StaticDecoder::copy_prefix(std::int64_t from, std::int64_t to, std::int64_t rows) {
  if (rows > lengths_.at(static_cast<std::size_t>(from))) {
    throw std::out_of_range("StaticDecoder: slot " + std::to_string(from) + " holds fewer than " +
                            std::to_string(rows) + " rows");
  }
  for (std::size_t i = 0; i < state_->keys.size(); ++i) {
    for (std::vector<at::Tensor>* cache : {&state_->keys, &state_->values}) {
      (*cache)[i]
          .select(0, to)
          .narrow(1, 0, rows)
          .copy_((*cache)[i].select(0, from).narrow(1, 0, rows));
    }
  }
  lengths_.at(static_cast<std::size_t>(to)) = rows;
  state_->cache_rows.narrow(0, to, 1).fill_(rows);
}

void StaticDecoder::step(std::int64_t batch) {
  StepState& s = *state_;
  if (uses_own_kernels()) {
    kernel_step(batch);
    kernels::finish_step(s.logits, options_.capacity, s.tokens, s.cache_rows, s.positions);
    return;
  }
  library_step(batch);
  s.tokens.narrow(0, 0, batch).copy_(s.logits.argmax(-1));
  // A finished slot riding along in a batch keeps rewriting its last row, never past the end.
  s.cache_rows.narrow(0, 0, batch).add_(1).clamp_max_(options_.capacity - 1);
  s.positions.narrow(0, 0, batch).add_(1);
}

// The step through library kernels (the CPU, or a GPU without seer's kernels).
void StaticDecoder::library_step(std::int64_t batch) {
  StepState& s = *state_;
  const bool fuse = options_.fuse_projections;
  const std::int64_t heads = config_.num_heads;
  const std::int64_t kv_heads = config_.num_kv_heads;
  const std::int64_t q_width = heads * config_.head_dim;
  const std::int64_t kv_width = kv_heads * config_.head_dim;
  const double eps = config_.rms_norm_eps;
  const at::Tensor cache_rows = s.cache_rows.narrow(0, 0, batch);
  const RotaryTables rotary = s.rope.tables(s.positions.narrow(0, 0, batch), dtype_);
  // Rows up to and including each slot's current one are visible: [batch, 1, 1, capacity].
  const at::Tensor visible =
      at::zeros({batch, 1, 1, options_.capacity}, at::TensorOptions().dtype(dtype_).device(device_))
          .masked_fill_(s.rows.unsqueeze(0).gt(cache_rows.unsqueeze(1)).view({batch, 1, 1, -1}),
                        -std::numeric_limits<double>::infinity());
  at::Tensor x = weights_->embed_tokens.index_select(0, s.tokens.narrow(0, 0, batch));
  for (std::size_t i = 0; i < weights_->layers.size(); ++i) {
    const FusedLayerWeights& w = weights_->layers[i];
    const at::Tensor qkv = project(norm(x, w.input_norm, eps), w.qkv_proj, w.qkv_bias,
                                   {q_width, kv_width, kv_width}, fuse);
    const std::vector<at::Tensor> qk =
        rotated_queries_and_keys(
            qkv.narrow(-1, 0, q_width + kv_width).view({batch, heads + kv_heads, -1}), w.qk_norm,
            eps, rotary)
            .split_with_sizes({heads, kv_heads}, 1);
    const at::Tensor v = qkv.narrow(-1, q_width + kv_width, kv_width).view({batch, kv_heads, -1});
    at::Tensor& keys = s.keys[i];
    at::Tensor& values = s.values[i];
    for (std::int64_t b = 0; b < batch; ++b) {
      const at::Tensor row = cache_rows.narrow(0, b, 1);
      keys.select(0, b).index_copy_(1, row, qk[1].narrow(0, b, 1).transpose(0, 1));
      values.select(0, b).index_copy_(1, row, v.narrow(0, b, 1).transpose(0, 1));
    }
    // GQA without copies: each kv head's query group becomes that head's query rows.
    const at::Tensor grouped = qk[0].reshape({batch, kv_heads, heads / kv_heads, -1});
    const at::Tensor attended =
        decode_attention(grouped, keys.narrow(0, 0, batch), values.narrow(0, 0, batch), visible);
    x = x + library_linear(attended.reshape({batch, q_width}), w.o_proj);
    const std::int64_t mlp = config_.intermediate_size;
    const at::Tensor gate_up =
        project(norm(x, w.post_attention_norm, eps), w.gate_up_proj, {}, {mlp, mlp}, fuse);
    x = x + library_linear(at::silu(gate_up.narrow(-1, 0, mlp)) * gate_up.narrow(-1, mlp, mlp),
                           w.down_proj);
  }
  s.logits = library_linear(norm(x, weights_->final_norm, config_.rms_norm_eps), weights_->lm_head);
}

// The step on seer's kernels, per layer: the QKV product normalising its input, attention from
// the QKV rows to the attended rows (cache write included), the O product adding the residual,
// the gate/up product normalising its input and applying the gate, the down product adding the
// residual. Products that go to cuBLAS (4+ rows of bf16/fp16) take the norm and gate kernels.
void StaticDecoder::kernel_step(std::int64_t batch) {
  StepState& s = *state_;
  const double eps = config_.rms_norm_eps;
  const bool folded = weights_->norms_folded;
  const auto normed = [&](const at::Tensor& x, const at::Tensor& norm, const LinearWeight& w,
                          const at::Tensor& bias) {
    if (folded && kernels::gemv_fits(x, w)) return kernels::normed_gemv(x, w, bias, eps);
    return apply_linear(kernels::rms_norm(x, norm, eps), w, bias);
  };
  const auto gated = [&](const at::Tensor& x, const at::Tensor& norm, const LinearWeight& w) {
    if (folded && kernels::gemv_fits(x, w)) return kernels::gated_gemv(x, w, eps);
    return kernels::silu_mul(apply_linear(kernels::rms_norm(x, norm, eps), w));
  };
  if (!s.attention.defined()) {
    s.attention = kernels::attention_scratch(options_.slots, config_.num_heads, config_.head_dim,
                                             options_.capacity, device_);
  }
  const at::Tensor positions = s.positions.narrow(0, 0, batch);
  const at::Tensor cache_rows = s.cache_rows.narrow(0, 0, batch);
  at::Tensor x = weights_->embed_tokens.index_select(0, s.tokens.narrow(0, 0, batch));
  for (std::size_t i = 0; i < weights_->layers.size(); ++i) {
    const FusedLayerWeights& w = weights_->layers[i];
    const at::Tensor qkv = normed(x, w.input_norm, w.qkv_proj, w.qkv_bias);
    const at::Tensor attended = kernels::decode_attention(
        qkv, w.qk_norm, s.rope.inverse_frequencies(), positions, cache_rows, s.keys[i], s.values[i],
        s.attention, config_.num_heads, eps);
    x = apply_linear(attended, w.o_proj, {}, x);
    x = apply_linear(gated(x, w.post_attention_norm, w.gate_up_proj), w.down_proj, {}, x);
  }
  s.logits = normed(x, weights_->final_norm, weights_->lm_head, {});
}

at::Tensor StaticDecoder::run_step(std::int64_t batch, bool use_graph) {
  StepState& s = *state_;
  StepState::Recorded& recorded = s.graphs[batch];
  if (use_graph && recorded.graph.captured()) {
    recorded.graph.replay();
    return recorded.logits;
  }
  // The first step of a batch size runs eagerly (cuBLAS and the allocator warmed up), then is
  // recorded for the rest. Recording runs nothing, so what the eager step wrote (its logits,
  // the chosen tokens) stays what the caller reads.
  step(batch);
  const at::Tensor logits = s.logits;
  if (use_graph) {
    recorded.graph.capture([this, batch] { step(batch); });
    recorded.logits = s.logits;
  }
  return logits;
}

StaticDecodeResult StaticDecoder::decode(std::int64_t primer_id, std::int64_t rope_position,
                                         std::int64_t max_new_tokens, std::int64_t end_id) {
  const DecodeRequest request{.primer_id = primer_id,
                              .rope_position = rope_position,
                              .max_new_tokens = max_new_tokens,
                              .end_id = end_id};
  return std::move(decode_batch(std::span(&request, 1)).front());
}

std::vector<StaticDecodeResult> StaticDecoder::decode_batch(
    std::span<const DecodeRequest> requests) {
  const auto batch = static_cast<std::int64_t>(requests.size());
  if (batch < 1 || batch > options_.slots) {
    throw std::invalid_argument("StaticDecoder: a batch of " + std::to_string(batch) + " for " +
                                std::to_string(options_.slots) + " slots");
  }
  StepState& s = *state_;
  std::vector<std::int64_t> tokens, rows, positions;
  std::int64_t steps = 0;
  for (std::int64_t b = 0; b < batch; ++b) {
    const DecodeRequest& request = requests[static_cast<std::size_t>(b)];
    tokens.push_back(request.primer_id);
    rows.push_back(lengths_[static_cast<std::size_t>(b)]);
    positions.push_back(request.rope_position);
    steps = std::max(steps, std::min(request.max_new_tokens,
                                     options_.capacity - lengths_[static_cast<std::size_t>(b)]));
  }
  const auto host_long = at::TensorOptions().dtype(at::kLong);
  s.tokens.narrow(0, 0, batch).copy_(at::tensor(tokens, host_long));
  s.cache_rows.narrow(0, 0, batch).copy_(at::tensor(rows, host_long));
  s.positions.narrow(0, 0, batch).copy_(at::tensor(positions, host_long));

  const bool use_graph = options_.cuda_graph && device_.is_cuda();
  std::vector<StaticDecodeResult> results(static_cast<std::size_t>(batch));
  std::vector<bool> finished(static_cast<std::size_t>(batch), false);
  for (std::int64_t produced = 0; produced < steps; ++produced) {
    const at::Tensor logits = run_step(batch, use_graph);
    const at::Tensor chosen = s.tokens.narrow(0, 0, batch).cpu();
    for (std::int64_t b = 0; b < batch; ++b) {
      const auto index = static_cast<std::size_t>(b);
      if (finished[index]) continue;
      const DecodeRequest& request = requests[index];
      StaticDecodeResult& result = results[index];
      ++lengths_[index];
      if (!result.first_logits.defined()) {
        result.first_logits = logits[b].to(at::kFloat).clone();
      }
      const std::int64_t next = chosen[b].item<std::int64_t>();
      const bool full = lengths_[index] >= options_.capacity;
      if (next == request.end_id || produced + 1 >= request.max_new_tokens || full) {
        finished[index] = true;
      }
      if (next != request.end_id) result.tokens.push_back(next);
    }
    if (std::all_of(finished.begin(), finished.end(), [](bool done) { return done; })) break;
  }
  return results;
}

void StaticDecoder::start_slot(std::int64_t slot, std::int64_t token, std::int64_t rope_position) {
  StepState& s = *state_;
  s.tokens.narrow(0, slot, 1).fill_(token);
  s.cache_rows.narrow(0, slot, 1).fill_(lengths_.at(static_cast<std::size_t>(slot)));
  s.positions.narrow(0, slot, 1).fill_(rope_position);
}

void StaticDecoder::step_slots(std::int64_t batch, std::span<const std::int64_t> active) {
  if (batch < 1 || batch > options_.slots) {
    throw std::invalid_argument("StaticDecoder: a step of " + std::to_string(batch) + " for " +
                                std::to_string(options_.slots) + " slots");
  }
  for (const std::int64_t slot : active) {
    if (slot < 0 || slot >= batch ||
        lengths_[static_cast<std::size_t>(slot)] >= options_.capacity) {
      throw std::out_of_range("StaticDecoder: slot " + std::to_string(slot) +
                              " cannot take a step of " + std::to_string(batch));
    }
  }
  state_->step_logits = run_step(batch, options_.cuda_graph && device_.is_cuda());
  for (const std::int64_t slot : active) ++lengths_[static_cast<std::size_t>(slot)];
}

at::Tensor StaticDecoder::step_argmax(std::int64_t batch) const {
  return state_->tokens.narrow(0, 0, batch);
}

at::Tensor StaticDecoder::step_logits() const { return state_->step_logits; }

void StaticDecoder::set_next_token(std::int64_t slot, std::int64_t token) {
  state_->tokens.narrow(0, slot, 1).fill_(token);
}

}  // namespace seer::models
