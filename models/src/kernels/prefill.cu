// Prefill's elementwise kernels over thousands of rows: the MLP gate in 16-byte vectors, and the
// queries and keys normalised, rotated and written to the cache in one pass (each replaces
// several library kernels over strided views, and their round trips to memory).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>

#include "kernels/element_math.cuh"
#include "kernels/kernel_launch.hpp"

namespace seer::models::kernels {
namespace {

constexpr int kThreads = 256;
constexpr int kWarpsPerBlock = kThreads / 32;
constexpr int kMaxPairsPerLane = 2;  // head_dim <= 256: d/2 <= 128 pairs, two per lane, 2 rounds

// out[r, 8v..8v+7] = silu(gate) * up, eight columns per thread (width a multiple of 8).
template <typename T>
__global__ void prefill_silu_mul_kernel(const T* gate_up, std::int64_t rows, std::int64_t width,
                                        T* out) {
  const std::int64_t vectors = width / 8;
  const std::int64_t total = rows * vectors;
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  for (std::int64_t index = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
       index < total; index += stride) {
    const std::int64_t row = index / vectors;
    const std::int64_t column = (index % vectors) * 8;
    const T* source = gate_up + row * 2 * width + column;
    float gate[8], up[8];
    unpack8<T>(__ldg(reinterpret_cast<const uint4*>(source)), gate);
    unpack8<T>(__ldg(reinterpret_cast<const uint4*>(source + width)), up);
#pragma unroll
    for (int i = 0; i < 8; ++i) gate[i] = gate[i] / (1.0f + __expf(-gate[i])) * up[i];
    *reinterpret_cast<uint4*>(out + row * width + column) = pack8<T>(gate);
  }
}

// Two adjacent elements of a 16-bit type as one 32-bit word.
template <typename T>
__device__ __forceinline__ std::uint32_t pack2(float a, float b) {
  const T low = from_float<T>(a);
  const T high = from_float<T>(b);
  return static_cast<std::uint32_t>(*reinterpret_cast<const std::uint16_t*>(&low)) |
         (static_cast<std::uint32_t>(*reinterpret_cast<const std::uint16_t*>(&high)) << 16);
}

// One warp per (row, head) of qkv: lane l holds the element pairs (2l, 2l+1) of each half (and
// of every further 64 columns), which RoPE's rotate-half pairs with the same columns of the
// other half. Query and key heads are RMS-normalised with their `qk_norm` row, then rotated;
// value heads are copied.
template <typename T>
__global__ void __launch_bounds__(kThreads) prefill_qkv_to_cache_kernel(PrefillQkvToCache a) {
  const std::int64_t head_count = a.heads + 2 * a.kv_heads;
  const std::int64_t task = static_cast<std::int64_t>(blockIdx.x) * kWarpsPerBlock +
                            static_cast<std::int64_t>(threadIdx.x) / 32;
  if (task >= a.rows * head_count) return;
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const std::int64_t row = task / head_count;
  const std::int64_t head = task % head_count;
  const std::int64_t half = a.head_dim / 2;
  const T* source = static_cast<const T*>(a.qkv) + (row * head_count + head) * a.head_dim;
  const auto cache_at = [&](void* cache, std::int64_t kv_head) {
    return static_cast<T*>(cache) + (kv_head * a.capacity + a.first_row + row) * a.head_dim;
  };
  const auto word = [](const T* p, std::int64_t column) {
    return *reinterpret_cast<const std::uint32_t*>(p + column);
  };
  const auto store = [](T* p, std::int64_t column, std::uint32_t value) {
    *reinterpret_cast<std::uint32_t*>(p + column) = value;
  };
  if (head >= a.heads + a.kv_heads) {  // a value head: copied as it is
    T* target = cache_at(a.values, head - a.heads - a.kv_heads);
    for (std::int64_t column = 2 * lane; column < half; column += 64) {
      store(target, column, word(source, column));
      store(target, column + half, word(source, column + half));
    }
    return;
  }
  float low[kMaxPairsPerLane][2] = {}, high[kMaxPairsPerLane][2] = {};
  float squares = 0.0f;
#pragma unroll
  for (int round = 0; round < kMaxPairsPerLane; ++round) {
    const std::int64_t column = 2 * lane + 64 * round;
    if (column >= half) break;
    const float2 first = unpack2<T>(word(source, column));
    const float2 second = unpack2<T>(word(source, column + half));
    low[round][0] = first.x, low[round][1] = first.y;
    high[round][0] = second.x, high[round][1] = second.y;
    squares += first.x * first.x + first.y * first.y + second.x * second.x + second.y * second.y;
  }
  const float scale = rsqrtf(warp_sum(squares) / static_cast<float>(a.head_dim) + a.eps);
  const T* norm = static_cast<const T*>(a.qk_norm) + head * a.head_dim;
  const float position = static_cast<float>(a.positions[row]);
  T* target = head < a.heads ? static_cast<T*>(a.queries) + (row * a.heads + head) * a.head_dim
                             : cache_at(a.keys, head - a.heads);
#pragma unroll
  for (int round = 0; round < kMaxPairsPerLane; ++round) {
    const std::int64_t column = 2 * lane + 64 * round;
    if (column >= half) break;
    const float2 low_norm = unpack2<T>(word(norm, column));
    const float2 high_norm = unpack2<T>(word(norm, column + half));
    float rotated_low[2], rotated_high[2];
#pragma unroll
    for (int e = 0; e < 2; ++e) {
      const float x0 = low[round][e] * scale * (e == 0 ? low_norm.x : low_norm.y);
      const float x1 = high[round][e] * scale * (e == 0 ? high_norm.x : high_norm.y);
      float sine, cosine;
      sincosf(position * a.inverse_frequencies[column + e], &sine, &cosine);
      rotated_low[e] = x0 * cosine - x1 * sine;
      rotated_high[e] = x1 * cosine + x0 * sine;
    }
    store(target, column, pack2<T>(rotated_low[0], rotated_low[1]));
    store(target, column + half, pack2<T>(rotated_high[0], rotated_high[1]));
  }
}

unsigned blocks_for(std::int64_t work, std::int64_t per_block) {
  constexpr std::int64_t kMaxBlocks = 1 << 20;
  const std::int64_t blocks = (work + per_block - 1) / per_block;
  return static_cast<unsigned>(blocks < kMaxBlocks ? (blocks > 0 ? blocks : 1) : kMaxBlocks);
}

template <typename T>
cudaError_t prefill_silu_mul_for(const void* gate_up, std::int64_t rows, std::int64_t width,
                                 void* out, cudaStream_t stream) {
  prefill_silu_mul_kernel<T><<<blocks_for(rows * (width / 8), kThreads), kThreads, 0, stream>>>(
      static_cast<const T*>(gate_up), rows, width, static_cast<T*>(out));
  return cudaGetLastError();
}

template <typename T>
cudaError_t prefill_qkv_to_cache_for(const PrefillQkvToCache& args, cudaStream_t stream) {
  const std::int64_t tasks = args.rows * (args.heads + 2 * args.kv_heads);
  const std::int64_t blocks = (tasks + kWarpsPerBlock - 1) / kWarpsPerBlock;
  prefill_qkv_to_cache_kernel<T><<<static_cast<unsigned>(blocks), kThreads, 0, stream>>>(args);
  return cudaGetLastError();
}

}  // namespace

cudaError_t launch_prefill_silu_mul(Element element, const void* gate_up, std::int64_t rows,
                                    std::int64_t width, void* out, cudaStream_t stream) {
  if (width % 8 != 0) return cudaErrorInvalidValue;
  if (rows == 0) return cudaSuccess;
  return element == Element::bfloat16
             ? prefill_silu_mul_for<__nv_bfloat16>(gate_up, rows, width, out, stream)
             : prefill_silu_mul_for<__half>(gate_up, rows, width, out, stream);
}

cudaError_t launch_prefill_qkv_to_cache(Element element, const PrefillQkvToCache& args,
                                        cudaStream_t stream) {
  if (args.head_dim % 4 != 0 || args.head_dim > 256 ||
      args.rows * (args.heads + 2 * args.kv_heads) / kWarpsPerBlock >= (std::int64_t{1} << 31)) {
    return cudaErrorInvalidValue;
  }
  if (args.rows == 0) return cudaSuccess;
  return element == Element::bfloat16 ? prefill_qkv_to_cache_for<__nv_bfloat16>(args, stream)
                                      : prefill_qkv_to_cache_for<__half>(args, stream);
}

}  // namespace seer::models::kernels
