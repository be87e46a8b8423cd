#pragma once

// seer's CUDA kernels for the decode step on tensors (kernels/*.cu). Built only when nvcc and a
// CUDA libtorch are found; elsewhere `available()` is false and every call throws.

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "seer/models/quantization.hpp"

namespace seer::models::kernels {

// Whether this build has the kernels and `x` is a bf16/fp16 CUDA tensor they take.
bool available_for(const at::Tensor& x);
// Whether apply_linear may hand x [rows, in] and `weight` to gemv().
bool gemv_fits(const at::Tensor& x, const LinearWeight& weight);

// x [rows <= 8, in] contiguous -> [rows, out] (see kernels::launch_gemv).
at::Tensor gemv(const at::Tensor& x, const LinearWeight& weight, const at::Tensor& bias,
                const at::Tensor& residual);
// The same with x RMS-normalised first, the norm's weight folded into `weight`'s columns.
at::Tensor normed_gemv(const at::Tensor& x, const LinearWeight& weight, const at::Tensor& bias,
                       double eps);
// silu(gate) * up [rows, out / 2] of the RMS-normalised x against `weight` = [gate; up] rows
// (the norm's weight folded in): the MLP's first half in one product.
at::Tensor gated_gemv(const at::Tensor& x, const LinearWeight& weight, double eps);
at::Tensor dequantize(const LinearWeight& weight, at::ScalarType dtype);

// Float scratch for decode_attention's partial results, enough for `batch` sequences.
at::Tensor attention_scratch(std::int64_t batch, std::int64_t heads, std::int64_t head_dim,
                             std::int64_t capacity, at::Device device);
// One step's attention from the QKV product: qkv [batch, (heads + 2 kv_heads) * d] (bias added);
// each query and key head RMS-normalised with its row of `qk_norm` and rotated by RoPE at
// `positions` [batch]; keys and values written to row rows[b] of slot b of `keys`/`values`
// [slots, kv_heads, capacity, d]; the queries attend to rows 0..rows[b] -> [batch, heads * d].
at::Tensor decode_attention(const at::Tensor& qkv, const at::Tensor& qk_norm,
                            const at::Tensor& inverse_frequencies, const at::Tensor& positions,
                            const at::Tensor& rows, at::Tensor& keys, at::Tensor& values,
                            const at::Tensor& scratch, std::int64_t heads, double eps);
// The step's tail in one kernel: tokens[b] = argmax of logits [batch, vocab] row b, cache_rows[b]
// moved on by one (at most capacity - 1), positions[b] by one (int64 tensors of >= batch).
void finish_step(const at::Tensor& logits, std::int64_t capacity, at::Tensor& tokens,
                 at::Tensor& cache_rows, at::Tensor& positions);
// x [rows, width] RMS-normalised and scaled by `weight` [width].
at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps);
// gate_up [rows, 2 width] -> silu(gate) * up [rows, width].
at::Tensor silu_mul(const at::Tensor& gate_up);

// Prefill (kernels/prefill.cu).

// gate_up [rows, 2 width] contiguous -> silu(gate) * up [rows, width] in 16-byte vectors.
at::Tensor prefill_silu_mul(const at::Tensor& gate_up);
// A segment's qkv [n, (heads + 2 kv_heads) * d] -> queries [n, heads, d]; keys and values
// written to rows first_row..first_row+n-1 of `keys`/`values` [kv_heads, capacity, d] (one
// slot's cache), RoPE at `positions` [n] int64 on the device.
at::Tensor prefill_qkv_to_cache(const at::Tensor& qkv, const at::Tensor& qk_norm,
                                const at::Tensor& inverse_frequencies, const at::Tensor& positions,
                                std::int64_t first_row, const at::Tensor& keys,
                                const at::Tensor& values, std::int64_t heads, double eps);

}  // namespace seer::models::kernels
