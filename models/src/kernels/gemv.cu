// Matrix-vector products of the decode step: up to eight activation rows against a weight
// matrix that is read once. Each warp owns R weight rows and walks k in 16-byte loads, U loads
// ahead per lane; activations come through the read-only cache (every warp of a block reads the
// same ones); sums in float, reduced across the warp, rounded once with bias and residual.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "kernels/element_math.cuh"
#include "kernels/kernel_launch.hpp"
#include "kernels/weight_formats.cuh"
#include "quant/nf4_table.hpp"

namespace seer::models::kernels {
namespace {

constexpr int kWarps = 4;  // small blocks: even the smallest matrix spreads over every SM
constexpr int kThreads = 32 * kWarps;

// S warps share each group of R rows, each taking a contiguous slice of k (split-K), their sums
// added in shared memory: small matrices get more warps, each with fewer dependent loads.
template <typename T, typename Format, int Rows, int R, int U, int S>
__global__ void __launch_bounds__(kThreads)
    gemv_kernel(Format format, const T* __restrict__ x, std::int64_t n, std::int64_t k,
                const T* __restrict__ bias, const T* residual, T* out) {
  __shared__ float table[16];
  __shared__ float slice_sums[kWarps][R][Rows];
  format.prepare(table);
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int slice = warp % S;
  const std::int64_t first_row =
      (static_cast<std::int64_t>(blockIdx.x) * (kWarps / S) + warp / S) * R;
  const bool active = first_row < n;  // no early return: the slices meet at a barrier
  const int loads = static_cast<int>(k / Format::kPerLoad);
  const int slice_loads = (loads + S - 1) / S;
  const int slice_end = min(loads, (slice + 1) * slice_loads);
  typename Format::Row rows[R];
#pragma unroll
  for (int r = 0; r < R; ++r) rows[r] = format.row(first_row + r < n ? first_row + r : 0);
  const T* xs_row[Rows];
#pragma unroll
  for (int b = 0; b < Rows; ++b) xs_row[b] = x + b * k;

  float acc[R][Rows];
#pragma unroll
  for (int r = 0; r < R; ++r) {
#pragma unroll
    for (int b = 0; b < Rows; ++b) acc[r][b] = 0.0f;
  }
  for (int start = slice * slice_loads + lane; active && start < slice_end; start += 32 * U) {
    uint4 raw[U][R];
#pragma unroll
    for (int u = 0; u < U; ++u) {
      const int index = start + 32 * u;
#pragma unroll
      for (int r = 0; r < R; ++r) {
        raw[u][r] = index < slice_end ? format.load(rows[r], index) : make_uint4(0, 0, 0, 0);
      }
    }
#pragma unroll
    for (int u = 0; u < U; ++u) {
      const int index = start + 32 * u;
      if (index >= slice_end) break;
      float partial[R][Rows];
#pragma unroll
      for (int r = 0; r < R; ++r) {
#pragma unroll
        for (int b = 0; b < Rows; ++b) partial[r][b] = 0.0f;
      }
#pragma unroll
      for (int s = 0; s < Format::kPerLoad / 8; ++s) {
        float w[R][8];
#pragma unroll
        for (int r = 0; r < R; ++r) format.unpack(raw[u][r], s, w[r]);
        const int column = index * Format::kPerLoad + 8 * s;
#pragma unroll
        for (int b = 0; b < Rows; ++b) {
          float xs[8];
          unpack8<T>(__ldg(reinterpret_cast<const uint4*>(xs_row[b] + column)), xs);
#pragma unroll
          for (int r = 0; r < R; ++r) {
#pragma unroll
            for (int i = 0; i < 8; ++i) partial[r][b] = fmaf(w[r][i], xs[i], partial[r][b]);
          }
        }
      }
#pragma unroll
      for (int r = 0; r < R; ++r) {
        const float scale = format.load_scale(rows[r], index);
#pragma unroll
        for (int b = 0; b < Rows; ++b) acc[r][b] = fmaf(partial[r][b], scale, acc[r][b]);
      }
    }
  }
#pragma unroll
  for (int r = 0; r < R; ++r) {
#pragma unroll
    for (int b = 0; b < Rows; ++b) acc[r][b] = warp_sum(acc[r][b]);
  }
  if constexpr (S > 1) {
    if (lane == 0) {
#pragma unroll
      for (int r = 0; r < R; ++r) {
#pragma unroll
        for (int b = 0; b < Rows; ++b) slice_sums[warp][r][b] = acc[r][b];
      }
    }
    __syncthreads();
    if (slice != 0) return;
#pragma unroll
    for (int r = 0; r < R; ++r) {
#pragma unroll
      for (int b = 0; b < Rows; ++b) {
        acc[r][b] = 0.0f;
#pragma unroll
        for (int other = 0; other < S; ++other) acc[r][b] += slice_sums[warp + other][r][b];
      }
    }
  }
  if (lane != 0 || !active) return;
#pragma unroll
  for (int r = 0; r < R; ++r) {
    const std::int64_t row = first_row + r;
    if (row >= n) break;
    const float row_scale = format.row_scale(row);
    const float add = bias != nullptr ? to_float(bias[row]) : 0.0f;
#pragma unroll
    for (int b = 0; b < Rows; ++b) {
      float value = acc[r][b] * row_scale + add;
      if (residual != nullptr) value += to_float(residual[b * n + row]);
      out[b * n + row] = from_float<T>(value);
    }
  }
}

// One thread per 16-byte load of the stored matrix: its kPerLoad weights, scaled, as Elements.
template <typename T, typename Format>
__global__ void __launch_bounds__(256)
    dequantize_kernel(Format format, std::int64_t n, std::int64_t loads_per_row, T* out) {
  __shared__ float table[16];
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
    for (int i = 0; i < 8; ++i) w[i] *= scale;
    target[s] = pack8<T>(w);
  }
}

template <typename T>
struct Formats {
  static PlainFormat<T> plain(const WeightView& w, std::int64_t k) {
    return {static_cast<const uint4*>(w.data), static_cast<int>(k / 8)};
  }
  static Int8Format<T> int8(const WeightView& w, std::int64_t k) {
    return {static_cast<const uint4*>(w.data), static_cast<int>(k / 16),
            static_cast<const T*>(w.scales)};
  }
  static Int4Format<T> int4(const WeightView& w, std::int64_t k) {
    int shift = 0;
    while ((32 << shift) < w.group) ++shift;
    return {static_cast<const uint4*>(w.data), static_cast<int>(k / 32),
            static_cast<const T*>(w.scales), static_cast<int>(k / w.group), shift};
  }
  static Nf4Format nf4(const WeightView& w, std::int64_t k) {
    Nf4Format format{static_cast<const uint4*>(w.data), static_cast<int>(k / 32),
                     static_cast<const std::int8_t*>(w.scales), w.absmax_scales, w.absmax_offset,
                     {}, nullptr};
    for (int i = 0; i < 16; ++i) format.values[i] = quant::kNf4Values[i];
    return format;
  }
};

// Calls `run(format)` with the view's format object.
template <typename T, typename Run>
cudaError_t with_format(const WeightView& weight, std::int64_t k, Run&& run) {
  switch (weight.format) {
    case WeightFormat::plain:
      return run(Formats<T>::plain(weight, k));
    case WeightFormat::int8:
      return run(Formats<T>::int8(weight, k));
    case WeightFormat::int4:
      return run(Formats<T>::int4(weight, k));
    case WeightFormat::nf4:
      return run(Formats<T>::nf4(weight, k));
  }
  return cudaErrorInvalidValue;
}

// Rows per warp and loads in flight per lane (8 for every format): plain weights keep one row
// per warp; the packed formats, whose unpacking costs arithmetic, share each activation load
// (and its conversion) between two (int8) or four (4-bit) rows.
template <typename Format>
struct Tiling {
  static constexpr int kRows = Format::kPerLoad / 8;
  static constexpr int kUnroll = 8 / kRows;
};

template <typename T, typename Format, int Rows>
cudaError_t launch_rows(const Format& format, const T* x, std::int64_t n, std::int64_t k,
                        const T* bias, const T* residual, T* out, cudaStream_t stream) {
  constexpr int kR = Tiling<Format>::kRows;
  constexpr int kU = Tiling<Format>::kUnroll;
  const std::int64_t unsplit_blocks = (n + kWarps * kR - 1) / kWarps / kR;
  // Fewer than ~8 blocks per multiprocessor: split k four ways; fewer than ~16: two ways, so
  // each lane's loads fit in one round trip.
  if (unsplit_blocks < 1024) {
    gemv_kernel<T, Format, Rows, kR, kU, 4><<<static_cast<unsigned>((n + kR - 1) / kR), kThreads,
                                              0, stream>>>(format, x, n, k, bias, residual, out);
  } else if (unsplit_blocks < 2048) {
    gemv_kernel<T, Format, Rows, kR, kU, 2>
        <<<static_cast<unsigned>((n + 2 * kR - 1) / (2 * kR)), kThreads, 0, stream>>>(
            format, x, n, k, bias, residual, out);
  } else {
    gemv_kernel<T, Format, Rows, kR, kU, 1><<<static_cast<unsigned>(unsplit_blocks), kThreads, 0,
                                               stream>>>(format, x, n, k, bias, residual, out);
  }
  return cudaGetLastError();
}

template <typename T, typename Format>
cudaError_t launch_gemv_typed(const Format& format, std::int64_t rows, const T* x, std::int64_t n,
                              std::int64_t k, const T* bias, const T* residual, T* out,
                              cudaStream_t stream) {
  switch (rows) {
    case 1: return launch_rows<T, Format, 1>(format, x, n, k, bias, residual, out, stream);
    case 2: return launch_rows<T, Format, 2>(format, x, n, k, bias, residual, out, stream);
    case 3: return launch_rows<T, Format, 3>(format, x, n, k, bias, residual, out, stream);
    case 4: return launch_rows<T, Format, 4>(format, x, n, k, bias, residual, out, stream);
    case 5: return launch_rows<T, Format, 5>(format, x, n, k, bias, residual, out, stream);
    case 6: return launch_rows<T, Format, 6>(format, x, n, k, bias, residual, out, stream);
    case 7: return launch_rows<T, Format, 7>(format, x, n, k, bias, residual, out, stream);
    case 8: return launch_rows<T, Format, 8>(format, x, n, k, bias, residual, out, stream);
    default: return cudaErrorInvalidValue;
  }
}

template <typename T>
cudaError_t gemv_for(const WeightView& weight, const void* x, std::int64_t rows, std::int64_t n,
                     std::int64_t k, const void* bias, const void* residual, void* out,
                     cudaStream_t stream) {
  return with_format<T>(weight, k, [&](const auto& format) {
    return launch_gemv_typed<T>(format, rows, static_cast<const T*>(x), n, k,
                                static_cast<const T*>(bias), static_cast<const T*>(residual),
                                static_cast<T*>(out), stream);
  });
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
                        void* out, cudaStream_t stream) {
  return element == Element::bfloat16
             ? gemv_for<__nv_bfloat16>(weight, x, rows, n, k, bias, residual, out, stream)
             : gemv_for<__half>(weight, x, rows, n, k, bias, residual, out, stream);
}

cudaError_t launch_dequantize(Element element, const WeightView& weight, std::int64_t n,
                              std::int64_t k, void* out, cudaStream_t stream) {
  return element == Element::bfloat16 ? dequantize_for<__nv_bfloat16>(weight, n, k, out, stream)
                                      : dequantize_for<__half>(weight, n, k, out, stream);
}

}  // namespace seer::models::kernels
