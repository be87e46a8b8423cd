// Tensor wrappers over the CUDA launchers: shape checks, the current stream, errors as
// exceptions.
#include <ATen/ATen.h>
#include <ATen/cuda/CUDAContext.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "kernels/decode_kernels.hpp"
#include "kernels/kernel_launch.hpp"

namespace seer::models::kernels {
namespace {

void check(cudaError_t error, const char* what) {
  if (error != cudaSuccess) {
    throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(error));
  }
}

Element element_of(const at::Tensor& t) {
  return t.scalar_type() == at::kHalf ? Element::float16 : Element::bfloat16;
}

bool aligned(const at::Tensor& t) {
  return !t.defined() || reinterpret_cast<std::uintptr_t>(t.data_ptr()) % 16 == 0;
}

WeightView view_of(const LinearWeight& w) {
  WeightView view{.data = w.data.data_ptr(),
                  .scales = w.scales.defined() ? w.scales.data_ptr() : nullptr,
                  .absmax_scales = nullptr,
                  .absmax_offset = static_cast<float>(w.absmax_offset),
                  .group = w.group};
  switch (w.quantization) {
    case Quantization::none:
      view.format = WeightFormat::plain;
      break;
    case Quantization::int8:
      view.format = WeightFormat::int8;
      break;
    case Quantization::int4:
      view.format = WeightFormat::int4;
      break;
    case Quantization::nf4:
      view.format = WeightFormat::nf4;
      view.absmax_scales = w.absmax_scales.data_ptr<float>();
      break;
  }
  return view;
}

std::int64_t inputs_per_load(Quantization q) {
  return q == Quantization::none ? 8 : q == Quantization::int8 ? 16 : 32;
}

cudaStream_t stream() { return at::cuda::getCurrentCUDAStream(); }

}  // namespace

bool gemv_fits(const at::Tensor& x, const LinearWeight& weight);

namespace {

at::Tensor product(const at::Tensor& x, const LinearWeight& weight, const at::Tensor& bias,
                   const at::Tensor& residual, const GemvOptions& options, std::int64_t width) {
  if (!gemv_fits(x, weight)) throw std::invalid_argument("kernels::gemv: unsupported operands");
  at::Tensor out = at::empty({x.size(0), width}, x.options());
  const at::Tensor bias_typed = bias.defined() ? bias.to(x.scalar_type()).contiguous() : bias;
  const at::Tensor residual_typed =
      residual.defined() ? residual.to(x.scalar_type()).contiguous() : residual;
  check(launch_gemv(element_of(x), view_of(weight), x.data_ptr(), x.size(0), weight.out_features,
                    weight.in_features, bias_typed.defined() ? bias_typed.data_ptr() : nullptr,
                    residual_typed.defined() ? residual_typed.data_ptr() : nullptr, out.data_ptr(),
                    options, stream()),
        "kernels::gemv");
  return out;
}

}  // namespace

bool available_for(const at::Tensor& x) {
  return x.is_cuda() && (x.scalar_type() == at::kBFloat16 || x.scalar_type() == at::kHalf);
}

bool gemv_fits(const at::Tensor& x, const LinearWeight& weight) {
  if (!available_for(x) || x.dim() != 2 || x.size(0) < 1 || x.size(0) > 8) return false;
  if (!x.is_contiguous() || !aligned(x) || !weight.data.is_contiguous() || !aligned(weight.data)) {
    return false;
  }
  if (weight.quantization == Quantization::none &&
      (weight.data.scalar_type() != x.scalar_type() || x.size(0) >= 4)) {
    // From four rows on, cuBLAS's tensor-core products read bf16/fp16 weights as fast and do
    // the arithmetic of eight rows for free; the packed formats stay here (dequantising would
    // read and write the whole matrix again).
    return false;
  }
  return weight.in_features % inputs_per_load(weight.quantization) == 0;
}

at::Tensor gemv(const at::Tensor& x, const LinearWeight& weight, const at::Tensor& bias,
                const at::Tensor& residual) {
  return product(x, weight, bias, residual, {}, weight.out_features);
}

at::Tensor normed_gemv(const at::Tensor& x, const LinearWeight& weight, const at::Tensor& bias,
                       double eps) {
  return product(x, weight, bias, {}, {.normalize = true, .eps = static_cast<float>(eps)},
                 weight.out_features);
}

at::Tensor gated_gemv(const at::Tensor& x, const LinearWeight& weight, double eps) {
  return product(x, weight, {}, {},
                 {.normalize = true, .eps = static_cast<float>(eps), .gated = true},
                 weight.out_features / 2);
}

at::Tensor dequantize(const LinearWeight& weight, at::ScalarType dtype) {
  at::Tensor out =
      at::empty({weight.out_features, weight.in_features}, weight.data.options().dtype(dtype));
  const Element element = dtype == at::kHalf ? Element::float16 : Element::bfloat16;
  check(launch_dequantize(element, view_of(weight), weight.out_features, weight.in_features,
                          out.data_ptr(), stream()),
        "kernels::dequantize");
  return out;
}

at::Tensor attention_scratch(std::int64_t batch, std::int64_t heads, std::int64_t head_dim,
                             std::int64_t capacity, at::Device device) {
  return at::empty({attention_scratch_floats(batch, heads, head_dim, capacity)},
                   at::TensorOptions().device(device).dtype(at::kFloat));
}

at::Tensor decode_attention(const at::Tensor& qkv, const at::Tensor& qk_norm,
                            const at::Tensor& inverse_frequencies, const at::Tensor& positions,
                            const at::Tensor& rows, at::Tensor& keys, at::Tensor& values,
                            const at::Tensor& scratch, std::int64_t heads, double eps) {
  const std::int64_t batch = qkv.size(0);
  const std::int64_t kv_heads = keys.size(1);
  const std::int64_t head_dim = keys.size(3);
  const std::int64_t capacity = keys.size(2);
  if (scratch.numel() < attention_scratch_floats(batch, heads, head_dim, capacity)) {
    throw std::invalid_argument("kernels::decode_attention: scratch too small for the batch");
  }
  at::Tensor out = at::empty({batch, heads * head_dim}, qkv.options());
  const at::Tensor input = qkv.contiguous();
  const at::Tensor norm = qk_norm.to(qkv.scalar_type()).contiguous();
  check(launch_decode_attention(element_of(qkv),
                                {.qkv = input.data_ptr(),
                                 .qk_norm = norm.data_ptr(),
                                 .inverse_frequencies = inverse_frequencies.data_ptr<float>(),
                                 .positions = positions.data_ptr<std::int64_t>(),
                                 .rows = rows.data_ptr<std::int64_t>(),
                                 .keys = keys.data_ptr(),
                                 .values = values.data_ptr(),
                                 .partial = scratch.data_ptr<float>(),
                                 .out = out.data_ptr(),
                                 .batch = batch,
                                 .heads = heads,
                                 .kv_heads = kv_heads,
                                 .head_dim = head_dim,
                                 .capacity = capacity,
                                 .eps = static_cast<float>(eps)},
                                stream()),
        "kernels::decode_attention");
  return out;
}

void finish_step(const at::Tensor& logits, std::int64_t capacity, at::Tensor& tokens,
                 at::Tensor& cache_rows, at::Tensor& positions) {
  const at::Tensor rows = logits.contiguous();
  check(launch_finish_step(element_of(rows), rows.data_ptr(), rows.size(0), rows.size(1), capacity,
                           tokens.data_ptr<std::int64_t>(), cache_rows.data_ptr<std::int64_t>(),
                           positions.data_ptr<std::int64_t>(), stream()),
        "kernels::finish_step");
}

at::Tensor rms_norm(const at::Tensor& x, const at::Tensor& weight, double eps) {
  const at::Tensor input = x.contiguous();
  const at::Tensor scale = weight.to(x.scalar_type()).contiguous();
  at::Tensor out = at::empty_like(input);
  check(launch_rms_norm(element_of(x), input.data_ptr(), scale.data_ptr(), input.size(0),
                        input.size(1), static_cast<float>(eps), out.data_ptr(), stream()),
        "kernels::rms_norm");
  return out;
}

at::Tensor silu_mul(const at::Tensor& gate_up) {
  const std::int64_t rows = gate_up.size(0);
  const std::int64_t width = gate_up.size(1) / 2;
  at::Tensor out = at::empty({rows, width}, gate_up.options());
  const at::Tensor input = gate_up.contiguous();
  check(
      launch_silu_mul(element_of(gate_up), input.data_ptr(), rows, width, out.data_ptr(), stream()),
      "kernels::silu_mul");
  return out;
}

at::Tensor prefill_silu_mul(const at::Tensor& gate_up) {
  const std::int64_t rows = gate_up.size(0);
  const std::int64_t width = gate_up.size(1) / 2;
  const at::Tensor input = gate_up.contiguous();
  if (!aligned(input)) throw std::invalid_argument("kernels::prefill_silu_mul: unaligned input");
  at::Tensor out = at::empty({rows, width}, gate_up.options());
  check(launch_prefill_silu_mul(element_of(gate_up), input.data_ptr(), rows, width, out.data_ptr(),
                                stream()),
        "kernels::prefill_silu_mul");
  return out;
}

at::Tensor prefill_qkv_to_cache(const at::Tensor& qkv, const at::Tensor& qk_norm,
                                const at::Tensor& inverse_frequencies, const at::Tensor& positions,
                                std::int64_t first_row, const at::Tensor& keys,
                                const at::Tensor& values, std::int64_t heads, double eps) {
  const std::int64_t rows = qkv.size(0);
  const std::int64_t kv_heads = keys.size(0);
  const std::int64_t head_dim = keys.size(2);
  if (!keys.is_contiguous() || !values.is_contiguous() || first_row + rows > keys.size(1)) {
    throw std::invalid_argument("kernels::prefill_qkv_to_cache: the rows do not fit the cache");
  }
  at::Tensor queries = at::empty({rows, heads, head_dim}, qkv.options());
  const at::Tensor input = qkv.contiguous();
  const at::Tensor norm = qk_norm.to(qkv.scalar_type()).contiguous();
  const at::Tensor rope_positions = positions.to(qkv.device(), at::kLong).contiguous();
  check(launch_prefill_qkv_to_cache(element_of(qkv),
                                    {.qkv = input.data_ptr(),
                                     .qk_norm = norm.data_ptr(),
                                     .inverse_frequencies = inverse_frequencies.data_ptr<float>(),
                                     .positions = rope_positions.data_ptr<std::int64_t>(),
                                     .queries = queries.data_ptr(),
                                     .keys = keys.data_ptr(),
                                     .values = values.data_ptr(),
                                     .rows = rows,
                                     .first_row = first_row,
                                     .heads = heads,
                                     .kv_heads = kv_heads,
                                     .head_dim = head_dim,
                                     .capacity = keys.size(1),
                                     .eps = static_cast<float>(eps)},
                                    stream()),
        "kernels::prefill_qkv_to_cache");
  return queries;
}

}  // namespace seer::models::kernels
