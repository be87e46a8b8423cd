#pragma once

// The decode step's CUDA kernels as plain launchers over raw device pointers (kernels/*.cu,
// built by nvcc without libtorch's headers); kernels/decode_kernels.cpp wraps them for tensors.
// Every launcher returns the launch's cudaError_t. `Element` says whether the activations,
// biases, norms and scales are bfloat16 or float16.

#include <cuda_runtime_api.h>

#include <cstdint>

namespace seer::models::kernels {

enum class Element { bfloat16, float16 };

// How the [n, k] weight matrix of a product is stored (see quant/quantized_linear.hpp).
enum class WeightFormat { plain, int8, int4, nf4 };

struct WeightView {
  WeightFormat format = WeightFormat::plain;
  const void* data = nullptr;            // plain: [n, k] Element; int8: [n, k]; 4-bit: [n, k/2]
  const void* scales = nullptr;          // int8: [n] Element; int4: [n, k/group] Element;
                                         // nf4: [n*k/64] int8 codes of the block absmaxes
  const float* absmax_scales = nullptr;  // nf4: [ceil(n*k/64/256)] float, one per 256 absmaxes
  float absmax_offset = 0.0f;            // nf4: the mean absmax the codes are relative to
  std::int64_t group = 0;                // int4: elements per scale along k (a multiple of 32)
};

// What a product does besides summing. `normalize`: x is the input of an RMSNorm whose weight
// is folded into w's columns, so each row's sums are scaled by 1 / sqrt(mean(x[b]^2) + eps),
// computed from the same x loads. `gated`: w holds the gate rows then the up rows (2 width rows)
// and out[b, j] = silu(gate_j) * up_j, [rows, width]: the MLP's product after its norm (so only
// with `normalize`, and without bias or residual).
struct GemvOptions {
  bool normalize = false;
  float eps = 0.0f;
  bool gated = false;
};

// out[b, n] = sum_k x[b, k] w[n, k] (+ bias[n]) (+ residual[b, n]) for rows b < rows <= 8,
// accumulated in float and rounded once. `residual` may be `out` (in place). k must be a
// multiple of 8 (plain), 16 (int8) or 32 (int4, nf4); every pointer 16-byte aligned.
cudaError_t launch_gemv(Element element, const WeightView& weight, const void* x, std::int64_t rows,
                        std::int64_t n, std::int64_t k, const void* bias, const void* residual,
                        void* out, const GemvOptions& options, cudaStream_t stream);

// The weight as an [n, k] Element matrix (for prefill products, which go through cuBLAS).
cudaError_t launch_dequantize(Element element, const WeightView& weight, std::int64_t n,
                              std::int64_t k, void* out, cudaStream_t stream);

// One decoding step's attention for `batch` sequences, from the QKV product to the attended
// rows: qkv [batch, (heads + 2 kv_heads) * d] (bias added) has each query and key head
// RMS-normalised with its row of `qk_norm` [heads + kv_heads, d] and rotated by RoPE at
// positions[b] (rotate-half, angles positions * inverse_frequencies [d/2] float32); the key and
// value go to row rows[b] of slot b of the caches [slots, kv_heads, capacity, d]; the queries
// attend to rows 0..rows[b] (GQA: query head h reads kv head h / (heads / kv_heads)). Two
// kernels: blocks over 32-row chunks of the cache (the first also preparing the queries and the
// new row), then one combining the chunks' partial softmax results; a sequence of fewer than 384
// rows is attended whole by one block per query head in the first kernel instead.
struct DecodeAttention {
  const void* qkv;
  const void* qk_norm;
  const float* inverse_frequencies;
  const std::int64_t* positions;
  const std::int64_t* rows;
  void* keys;
  void* values;
  float* partial;  // attention_scratch_floats(...) floats
  void* out;       // [batch, heads * d]
  std::int64_t batch, heads, kv_heads, head_dim, capacity;
  float eps;
};
std::int64_t attention_scratch_floats(std::int64_t batch, std::int64_t heads, std::int64_t head_dim,
                                      std::int64_t capacity);
cudaError_t launch_decode_attention(Element element, const DecodeAttention& args,
                                    cudaStream_t stream);

// out = x / rms(x) * weight per row of x [rows, width] (width a multiple of 8).
cudaError_t launch_rms_norm(Element element, const void* x, const void* weight, std::int64_t rows,
                            std::int64_t width, float eps, void* out, cudaStream_t stream);

// The step's tail for `batch` sequences: tokens[b] = argmax of logits [batch, vocab] row b (the
// first of equal maxima), cache_rows[b] = min(cache_rows[b] + 1, capacity - 1), positions[b] += 1.
cudaError_t launch_finish_step(Element element, const void* logits, std::int64_t batch,
                               std::int64_t vocab, std::int64_t capacity, std::int64_t* tokens,
                               std::int64_t* cache_rows, std::int64_t* positions,
                               cudaStream_t stream);

// out[b, j] = silu(gate_up[b, j]) * gate_up[b, width + j] for j < width.
cudaError_t launch_silu_mul(Element element, const void* gate_up, std::int64_t rows,
                            std::int64_t width, void* out, cudaStream_t stream);

// Prefill (kernels/prefill.cu): the same operations over many rows.

// out[r, j] = silu(gate_up[r, j]) * gate_up[r, width + j] for rows r and j < width, 16-byte
// loads (width a multiple of 8, pointers 16-byte aligned).
cudaError_t launch_prefill_silu_mul(Element element, const void* gate_up, std::int64_t rows,
                                    std::int64_t width, void* out, cudaStream_t stream);

// A segment of `rows` rows appended to one slot's cache: qkv [rows, (heads + 2 kv_heads) * d]
// (bias added) -> each query and key head RMS-normalised with its row of `qk_norm` [heads +
// kv_heads, d] and rotated by RoPE at positions[r] (rotate-half, angles positions *
// inverse_frequencies [d/2] float32); queries to `queries` [rows, heads, d], keys and values to
// rows first_row + r of the slot's caches [kv_heads, capacity, d]. d a multiple of 4, <= 256.
struct PrefillQkvToCache {
  const void* qkv;
  const void* qk_norm;
  const float* inverse_frequencies;
  const std::int64_t* positions;
  void* queries;
  void* keys;
  void* values;
  std::int64_t rows, first_row, heads, kv_heads, head_dim, capacity;
  float eps;
};
cudaError_t launch_prefill_qkv_to_cache(Element element, const PrefillQkvToCache& args,
                                        cudaStream_t stream);

}  // namespace seer::models::kernels
