#pragma once

// Matrix-vector products of the decode step: up to eight activation rows against a weight
// matrix that is read once. Each warp owns R weight rows and walks k in 16-byte loads, U loads
// ahead per lane; activations come through the read-only cache (every warp of a block reads the
// same ones); sums in float, reduced across the warp, rounded once with bias and residual.
// Included only by the per-format files (gemv_formats.hpp says why).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "kernels/element_math.cuh"
#include "kernels/gemv_formats.hpp"
#include "kernels/kernel_launch.hpp"
#include "kernels/weight_formats.cuh"

namespace seer::models::kernels {
namespace gemv_detail {

constexpr int kWarps = 4;  // small blocks: even the smallest matrix spreads over every SM
constexpr int kThreads = 32 * kWarps;

// S warps share each group of R rows, each taking a contiguous slice of k (split-K), their sums
// added in shared memory: small matrices get more warps, each with fewer dependent loads. A
// gated product's warp takes R / 2 outputs: their gate rows and their up rows. Tile (a Tiling)
// gives R, the loads per lane in flight U, whether the next U are issued before the current U's
// arithmetic, and the blocks per multiprocessor the registers must leave room for.
template <typename T, typename Format, int Rows, typename Tile, int S, bool Normalize, bool Gated>
__global__ void __launch_bounds__(kThreads, Tile::kMinBlocks)
    gemv_kernel(Format format, const T* __restrict__ x, std::int64_t n, std::int64_t k,
                const T* __restrict__ bias, const T* residual, T* out, float eps) {
  constexpr int R = Tile::kRows;
  constexpr int U = Tile::kUnroll;
  constexpr int kOutputs = Gated ? R / 2 : R;  // outputs per warp
  __shared__ __align__(256) float table[16];   // NF4 codes (Nf4Format::unpack wants 256)
  __shared__ float slice_sums[kWarps][R][Rows];
  __shared__ float slice_squares[kWarps][Rows];
  format.prepare(table);
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int slice = warp % S;
  const std::int64_t outputs = Gated ? n / 2 : n;
  const std::int64_t first =
      (static_cast<std::int64_t>(blockIdx.x) * (kWarps / S) + warp / S) * kOutputs;
  const bool active = first < outputs;  // no early return: the slices meet at a barrier
  const int loads = static_cast<int>(k / Format::kPerLoad);
  const int slice_loads = (loads + S - 1) / S;
  const int slice_end = min(loads, (slice + 1) * slice_loads);
  const auto weight_row = [&](int r) -> std::int64_t {
    const std::int64_t output = first + r % kOutputs;
    if (output >= outputs) return 0;
    return Gated && r >= kOutputs ? outputs + output : output;
  };
  typename Format::Row rows[R];
#pragma unroll
  for (int r = 0; r < R; ++r) rows[r] = format.row(weight_row(r));
  const T* xs_row[Rows];
#pragma unroll
  for (int b = 0; b < Rows; ++b) xs_row[b] = x + b * k;

  float acc[R][Rows];
  float squares[Rows];
#pragma unroll
  for (int b = 0; b < Rows; ++b) {
    squares[b] = 0.0f;
#pragma unroll
    for (int r = 0; r < R; ++r) acc[r][b] = 0.0f;
  }
  const auto load_chunk = [&](int start, uint4(&raw)[U][R]) {
#pragma unroll
    for (int u = 0; u < U; ++u) {
      const int index = start + 32 * u;
#pragma unroll
      for (int r = 0; r < R; ++r) {
        raw[u][r] = index < slice_end ? format.load(rows[r], index) : make_uint4(0, 0, 0, 0);
      }
    }
  };
  const auto accumulate = [&](int start, const uint4(&raw)[U][R]) {
#pragma unroll
    for (int u = 0; u < U; ++u) {
      const int index = start + 32 * u;
      if (index >= slice_end) break;
      float partial[R][Rows];
      float even_sum[Rows], odd_sum[Rows];  // of the load's inputs, for biased formats
#pragma unroll
      for (int b = 0; b < Rows; ++b) {
        even_sum[b] = odd_sum[b] = 0.0f;
#pragma unroll
        for (int r = 0; r < R; ++r) partial[r][b] = 0.0f;
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
          if constexpr (Normalize) {
#pragma unroll
            for (int i = 0; i < 8; ++i) squares[b] = fmaf(xs[i], xs[i], squares[b]);
          }
          if constexpr (Format::kBiased) {
#pragma unroll
            for (int i = 0; i < 8; i += 2) {
              even_sum[b] += xs[i];
              odd_sum[b] += xs[i + 1];
            }
          }
#pragma unroll
          for (int r = 0; r < R; ++r) {
#pragma unroll
            for (int i = 0; i < 8; ++i) partial[r][b] = fmaf(w[r][i], xs[i], partial[r][b]);
          }
        }
      }
#pragma unroll
      for (int b = 0; b < Rows; ++b) {
        if constexpr (Format::kBiased) {
          // The unpacked weights were code + bias: take the biases' share out once per load.
          const float bias_share =
              fmaf(Format::kEvenBias, even_sum[b], Format::kOddBias * odd_sum[b]);
#pragma unroll
          for (int r = 0; r < R; ++r) partial[r][b] -= bias_share;
        }
      }
#pragma unroll
      for (int r = 0; r < R; ++r) {
        const float scale = format.load_scale(rows[r], index);
#pragma unroll
        for (int b = 0; b < Rows; ++b) acc[r][b] = fmaf(partial[r][b], scale, acc[r][b]);
      }
    }
  };
  const int first_start = slice * slice_loads + lane;
  if constexpr (Tile::kPipelined) {
    uint4 raw[U][R];
    if (active) load_chunk(first_start, raw);
    for (int start = first_start; active && start < slice_end; start += 32 * U) {
      uint4 next[U][R];
      load_chunk(start + 32 * U, next);
      accumulate(start, raw);
#pragma unroll
      for (int u = 0; u < U; ++u) {
#pragma unroll
        for (int r = 0; r < R; ++r) raw[u][r] = next[u][r];
      }
    }
  } else {
    for (int start = first_start; active && start < slice_end; start += 32 * U) {
      uint4 raw[U][R];
      load_chunk(start, raw);
      accumulate(start, raw);
    }
  }
#pragma unroll
  for (int b = 0; b < Rows; ++b) {
    if constexpr (Normalize) squares[b] = warp_sum(squares[b]);
#pragma unroll
    for (int r = 0; r < R; ++r) acc[r][b] = warp_sum(acc[r][b]);
  }
  if constexpr (S > 1) {
    if (lane == 0) {
#pragma unroll
      for (int b = 0; b < Rows; ++b) {
        slice_squares[warp][b] = squares[b];
#pragma unroll
        for (int r = 0; r < R; ++r) slice_sums[warp][r][b] = acc[r][b];
      }
    }
    __syncthreads();
    if (slice != 0) return;
#pragma unroll
    for (int b = 0; b < Rows; ++b) {
      squares[b] = 0.0f;
#pragma unroll
      for (int other = 0; other < S; ++other) squares[b] += slice_squares[warp + other][b];
#pragma unroll
      for (int r = 0; r < R; ++r) {
        acc[r][b] = 0.0f;
#pragma unroll
        for (int other = 0; other < S; ++other) acc[r][b] += slice_sums[warp + other][r][b];
      }
    }
  }
  if (lane != 0 || !active) return;
  float input_scale[Rows];
#pragma unroll
  for (int b = 0; b < Rows; ++b) {
    input_scale[b] = Normalize ? rsqrtf(squares[b] / static_cast<float>(k) + eps) : 1.0f;
  }
#pragma unroll
  for (int r = 0; r < kOutputs; ++r) {
    const std::int64_t output = first + r;
    if (output >= outputs) break;
    if constexpr (Gated) {
      const float gate_scale = format.row_scale(output);
      const float up_scale = format.row_scale(outputs + output);
#pragma unroll
      for (int b = 0; b < Rows; ++b) {
        const float gate = acc[r][b] * gate_scale * input_scale[b];
        const float up = acc[r + kOutputs][b] * up_scale * input_scale[b];
        out[b * outputs + output] = from_float<T>(gate / (1.0f + __expf(-gate)) * up);
      }
    } else {
      const float row_scale = format.row_scale(output);
      const float add = bias != nullptr ? to_float(bias[output]) : 0.0f;
#pragma unroll
      for (int b = 0; b < Rows; ++b) {
        float value = acc[r][b] * row_scale * input_scale[b] + add;
        if (residual != nullptr) value += to_float(residual[b * n + output]);
        out[b * n + output] = from_float<T>(value);
      }
    }
  }
}

// Rows per warp and loads in flight per lane. Several activation rows (batched decoding): plain
// weights keep one row per warp (two when gated: a gate row and its up row), the packed formats,
// whose unpacking costs arithmetic, share each activation load (and its conversion) between two
// (int8) or four (4-bit) rows, 8 loads in flight per lane. One activation row (the decode step,
// measured on an H100 with lab variants, docs/performance.md): each warp keeps its next loads in
// flight while it does the arithmetic on the current ones, two rows and two loads per lane for
// plain weights, four rows and one load for the 4-bit formats, with registers capped so that 4
// (plain) or 7 (4-bit) blocks fit on a multiprocessor; int8 measured no faster that way.
template <typename Format, bool Gated, int Rows>
struct Tiling {
  static constexpr int kPerLoadRows = Format::kPerLoad / 8;  // 1 plain, 2 int8, 4 for 4-bit
  static constexpr bool kPipelined = Rows == 1 && kPerLoadRows != 2;
  static constexpr int kRows = kPipelined                   ? (kPerLoadRows == 1 ? 2 : 4)
                               : kPerLoadRows > 1 || !Gated ? kPerLoadRows
                                                            : 2;
  static constexpr int kUnroll = kPipelined ? (kPerLoadRows == 1 ? 2 : 1) : 8 / kRows;
  static constexpr int kMinBlocks = kPipelined ? (kPerLoadRows == 1 ? 4 : 7) : 0;  // 0: no cap
};

// Blocks of `kernel` the GPU holds at once (its registers decide for the packed formats).
template <typename Kernel>
std::int64_t resident_blocks(Kernel kernel) {
  int device = 0, multiprocessors = 0, per_multiprocessor = 0;
  if (cudaGetDevice(&device) != cudaSuccess ||
      cudaDeviceGetAttribute(&multiprocessors, cudaDevAttrMultiProcessorCount, device) !=
          cudaSuccess ||
      cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_multiprocessor, kernel, kThreads, 0) !=
          cudaSuccess) {
    return 0;
  }
  return static_cast<std::int64_t>(multiprocessors) * per_multiprocessor;
}

template <typename T, typename Format, int Rows, bool Normalize, bool Gated>
cudaError_t launch_rows(const Format& format, const T* x, std::int64_t n, std::int64_t k,
                        const T* bias, const T* residual, T* out, float eps, cudaStream_t stream) {
  using Tile = Tiling<Format, Gated, Rows>;
  constexpr int kR = Tile::kRows;
  constexpr int kOutputs = Gated ? kR / 2 : kR;
  const auto split4 = gemv_kernel<T, Format, Rows, Tile, 4, Normalize, Gated>;
  const auto split2 = gemv_kernel<T, Format, Rows, Tile, 2, Normalize, Gated>;
  const auto whole = gemv_kernel<T, Format, Rows, Tile, 1, Normalize, Gated>;
  const std::int64_t outputs = Gated ? n / 2 : n;
  const std::int64_t warps = (outputs + kOutputs - 1) / kOutputs;
  const std::int64_t unsplit_blocks = (warps + kWarps - 1) / kWarps;
  int split = 1;
  if constexpr (kR == 1) {
    // One row per warp: fewer than ~8 blocks per multiprocessor split k four ways, fewer than
    // ~16 two ways, so each lane's loads fit in one round trip.
    split = unsplit_blocks < 1024 ? 4 : unsplit_blocks < 2048 ? 2 : 1;
  } else {
    // Several rows per warp hold many registers, so fewer blocks fit: split k as far as the
    // blocks still run in one wave (a second wave costs a whole round of load latency).
    static const std::int64_t fit4 = resident_blocks(split4);
    static const std::int64_t fit2 = resident_blocks(split2);
    split = warps <= fit4 ? 4 : (warps + 1) / 2 <= fit2 ? 2 : 1;
  }
  const auto run = [&](auto kernel, std::int64_t blocks) {
    kernel<<<static_cast<unsigned>(blocks), kThreads, 0, stream>>>(format, x, n, k, bias, residual,
                                                                   out, eps);
    return cudaGetLastError();
  };
  if (split == 4) return run(split4, warps);
  if (split == 2) return run(split2, (warps + 1) / 2);
  return run(whole, unsplit_blocks);
}

// launch_rows for `rows` activation rows, 1 to 8 (each count its own kernels).
template <typename T, typename Format, bool Normalize, bool Gated, int Rows = 1>
cudaError_t launch_epilogue(const Format& format, std::int64_t rows, const T* x, std::int64_t n,
                            std::int64_t k, const T* bias, const T* residual, T* out, float eps,
                            cudaStream_t stream) {
  if (rows == Rows) {
    return launch_rows<T, Format, Rows, Normalize, Gated>(format, x, n, k, bias, residual, out, eps,
                                                          stream);
  }
  if constexpr (Rows < 8) {
    return launch_epilogue<T, Format, Normalize, Gated, Rows + 1>(format, rows, x, n, k, bias,
                                                                  residual, out, eps, stream);
  } else {
    return cudaErrorInvalidValue;
  }
}

template <typename T, typename Format>
cudaError_t launch_gemv_typed(const Format& format, std::int64_t rows, const T* x, std::int64_t n,
                              std::int64_t k, const T* bias, const T* residual, T* out,
                              const GemvOptions& options, cudaStream_t stream) {
  const float eps = options.eps;
  if (options.gated) {
    if (!options.normalize || bias != nullptr || residual != nullptr || n % 2 != 0) {
      return cudaErrorInvalidValue;
    }
    return launch_epilogue<T, Format, true, true>(format, rows, x, n, k, bias, residual, out, eps,
                                                  stream);
  }
  return options.normalize ? launch_epilogue<T, Format, true, false>(format, rows, x, n, k, bias,
                                                                     residual, out, eps, stream)
                           : launch_epilogue<T, Format, false, false>(format, rows, x, n, k, bias,
                                                                      residual, out, eps, stream);
}

}  // namespace gemv_detail

template <WeightFormat F>
cudaError_t launch_gemv_in(Element element, const WeightView& weight, const void* x,
                           std::int64_t rows, std::int64_t n, std::int64_t k, const void* bias,
                           const void* residual, void* out, const GemvOptions& options,
                           cudaStream_t stream) {
  const auto run = [&]<typename T>(T*) {
    return gemv_detail::launch_gemv_typed<T>(
        Formats<T>::template of<F>(weight, k), rows, static_cast<const T*>(x), n, k,
        static_cast<const T*>(bias), static_cast<const T*>(residual), static_cast<T*>(out), options,
        stream);
  };
  return element == Element::bfloat16 ? run(static_cast<__nv_bfloat16*>(nullptr))
                                      : run(static_cast<__half*>(nullptr));
}

}  // namespace seer::models::kernels
