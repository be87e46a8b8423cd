// Dispatch of the decode step's products to their stored format (gemv_formats.hpp), and
// dequantisation of a stored matrix for the prefill's cuBLAS products.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "kernels/element_math.cuh"
#include "kernels/gemv_formats.hpp"
#include "kernels/kernel_launch.hpp"
#include "kernels/weight_formats.cuh"

namespace seer::models::kernels {
namespace {

// One thread per 16-byte load of the stored matrix: its kPerLoad weights, scaled, as Elements.
template <typename T, typename Format>
__global__ void __launch_bounds__(256)
    dequantize_kernel(Format format, std::int64_t n, std::int64_t loads_per_row, T* out) {
  __shared__ __align__(256) float table[16];  // NF4 codes (Nf4Format::unpack wants 256)
  format.prepare(table);
  const std::int64_t load = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (load >= n * loads_per_row) return;
  const std::int64_t r = load / loads_per_row;
  const auto index = static_cast<int>(load % loads_per_row);
  const typename Format::Row row = format.row(r);
  const uint4 raw = format.load(row, index);
  const float scale = format.load_scale(row, index) * format.row_scale(r);
  uint4* target = reinterpret_cast<uint4*>(out) + load * (Format::kPerLoad / 8);
#pragma unroll
  for (int s = 0; s < Format::kPerLoad / 8; ++s) {
    float w[8];
    format.unpack(raw, s, w);
#pragma unroll
    for (int i = 0; i < 8; ++i) {
      if constexpr (Format::kBiased) w[i] -= i % 2 == 0 ? Format::kEvenBias : Format::kOddBias;
      w[i] *= scale;
    }
    target[s] = pack8<T>(w);
  }
}

template <typename T>
cudaError_t dequantize_for(const WeightView& weight, std::int64_t n, std::int64_t k, void* out,
                           cudaStream_t stream) {
  return with_format<T>(weight, k, [&](const auto& format) {
    using Format = std::decay_t<decltype(format)>;
    const std::int64_t loads_per_row = k / Format::kPerLoad;
    const auto blocks = static_cast<unsigned>((n * loads_per_row + 255) / 256);
    dequantize_kernel<T, Format>
        <<<blocks, 256, 0, stream>>>(format, n, loads_per_row, static_cast<T*>(out));
    return cudaGetLastError();
  });
}

}  // namespace

cudaError_t launch_gemv(Element element, const WeightView& weight, const void* x, std::int64_t rows,
                        std::int64_t n, std::int64_t k, const void* bias, const void* residual,
                        void* out, const GemvOptions& options, cudaStream_t stream) {
  switch (weight.format) {
    case WeightFormat::plain:
      return launch_gemv_in<WeightFormat::plain>(element, weight, x, rows, n, k, bias, residual,
                                                 out, options, stream);
    case WeightFormat::int8:
      return launch_gemv_in<WeightFormat::int8>(element, weight, x, rows, n, k, bias, residual,
                                                out, options, stream);
    case WeightFormat::int4:
      return launch_gemv_in<WeightFormat::int4>(element, weight, x, rows, n, k, bias, residual,
                                                out, options, stream);
    case WeightFormat::nf4:
      return launch_gemv_in<WeightFormat::nf4>(element, weight, x, rows, n, k, bias, residual, out,
                                               options, stream);
  }
  return cudaErrorInvalidValue;
}

cudaError_t launch_dequantize(Element element, const WeightView& weight, std::int64_t n,
                              std::int64_t k, void* out, cudaStream_t stream) {
  return element == Element::bfloat16 ? dequantize_for<__nv_bfloat16>(weight, n, k, out, stream)
                                      : dequantize_for<__half>(weight, n, k, out, stream);
}

}  // namespace seer::models::kernels
