// The decode step's small kernels: queries and keys normalised, rotated and written to the
// cache in one pass; attention of one query row over the cache, split over rows and combined;
// the MLP's gate. Each replaces several library kernels (and their round trips to memory).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cmath>
#include <cstdint>

#include "kernels/element_math.cuh"
#include "kernels/kernel_launch.hpp"

namespace seer::models::kernels {
namespace {

constexpr int kChunkRows = 32;  // cache rows per attention block: one per lane in the softmax
constexpr int kAttentionThreads = 128;
constexpr int kThreadsPerRow = kAttentionThreads / kChunkRows;
constexpr int kMaxGroup = 8;  // query heads per kv head

std::int64_t splits_for(std::int64_t capacity) { return (capacity + kChunkRows - 1) / kChunkRows; }

// Sum over the block (blockDim.x a multiple of 32 or below it); every thread gets the total.
__device__ float block_sum(float value, float* shared) {
  const int lane = static_cast<int>(threadIdx.x) % 32;
  const int warp = static_cast<int>(threadIdx.x) / 32;
  const int warps = (static_cast<int>(blockDim.x) + 31) / 32;
  value = warp_sum(value);
  if (lane == 0) shared[warp] = value;
  __syncthreads();
  float total = 0.0f;
  for (int w = 0; w < warps; ++w) total += shared[w];
  return total;
}

// Block (head, b): threads i < d/2 hold the pair (i, i + d/2) that RoPE rotates together.
template <typename T>
__global__ void qkv_to_cache_kernel(QkvToCache a) {
  __shared__ float sums[32];
  const std::int64_t b = blockIdx.y;
  const std::int64_t head = blockIdx.x;
  const std::int64_t half = a.head_dim / 2;
  const std::int64_t i = threadIdx.x;
  const std::int64_t width = (a.heads + 2 * a.kv_heads) * a.head_dim;
  const T* source = static_cast<const T*>(a.qkv) + b * width + head * a.head_dim;
  const std::int64_t row = a.rows[b];
  const auto cache_row = [&](std::int64_t kv_head) {
    return ((b * a.kv_heads + kv_head) * a.capacity + row) * a.head_dim;
  };
  if (head >= a.heads + a.kv_heads) {  // a value head: copied as it is
    T* target = static_cast<T*>(a.values) + cache_row(head - a.heads - a.kv_heads);
    target[i] = source[i];
    target[i + half] = source[i + half];
    return;
  }
  float x0 = to_float(source[i]);
  float x1 = to_float(source[i + half]);
  const float scale =
      rsqrtf(block_sum(x0 * x0 + x1 * x1, sums) / static_cast<float>(a.head_dim) + a.eps);
  const T* norm = static_cast<const T*>(a.qk_norm) + head * a.head_dim;
  x0 *= scale * to_float(norm[i]);
  x1 *= scale * to_float(norm[i + half]);
  float sine, cosine;
  sincosf(static_cast<float>(a.positions[b]) * a.inverse_frequencies[i], &sine, &cosine);
  const float rotated0 = x0 * cosine - x1 * sine;
  const float rotated1 = x1 * cosine + x0 * sine;
  T* target = head < a.heads
                  ? static_cast<T*>(a.queries) + (b * a.heads + head) * a.head_dim
                  : static_cast<T*>(a.keys) + cache_row(head - a.heads);
  target[i] = from_float<T>(rotated0);
  target[i + half] = from_float<T>(rotated1);
}

// Block (split, kv head, b): the group's queries against cache rows
// [split * kChunkRows, min(+kChunkRows, rows[b] + 1)): unnormalised outputs with their maximum
// score and sum of exponentials, per query head. Small chunks keep every phase's loads
// independent: four threads per key row for the scores, then threads spread over (row group,
// 8 columns) for the values, their sums added in shared memory.
template <typename T>
__global__ void __launch_bounds__(kAttentionThreads) attention_partial_kernel(DecodeAttention a) {
  __shared__ float scores[kMaxGroup][kChunkRows];
  __shared__ float row_max[kMaxGroup], row_sum[kMaxGroup];
  extern __shared__ float shared[];  // queries [group * d], then value sums [row groups][group * d]
  const std::int64_t split = blockIdx.x;
  const std::int64_t kv_head = blockIdx.y;
  const std::int64_t b = blockIdx.z;
  const std::int64_t splits = gridDim.x;
  const int d = static_cast<int>(a.head_dim);
  const int group = static_cast<int>(a.heads / a.kv_heads);
  const int tid = static_cast<int>(threadIdx.x);
  const int lane = tid % 32;
  const int warp = tid / 32;
  const std::int64_t first = split * kChunkRows;
  const std::int64_t end = min(first + kChunkRows, a.rows[b] + 1);
  const std::int64_t partial_head = (b * a.heads + kv_head * group) * splits + split;
  float* partial_out = a.partial;
  float* partial_max = a.partial + a.batch * a.heads * splits * a.head_dim;
  float* partial_sum = partial_max + a.batch * a.heads * splits;
  if (first >= end) return;  // past the last row: the combine step reads only earlier splits
  const int count = static_cast<int>(end - first);

  float* queries = shared;
  float* value_sums = shared + group * d;
  const float scale = rsqrtf(static_cast<float>(d));
  const T* query = static_cast<const T*>(a.queries) + (b * a.heads + kv_head * group) * d;
  for (int e = tid; e < group * d; e += kAttentionThreads) queries[e] = to_float(query[e]) * scale;
  __syncthreads();

  const std::int64_t slot = (b * a.kv_heads + kv_head) * a.capacity;
  const T* keys = static_cast<const T*>(a.keys) + (slot + first) * d;
  const T* values = static_cast<const T*>(a.values) + (slot + first) * d;

  {  // Scores: kThreadsPerRow threads per key row, 8 columns per load.
    const int row = tid / kThreadsPerRow;
    const int part = tid % kThreadsPerRow;
    float dot[kMaxGroup] = {};
    if (row < count) {
      for (int e = part * 8; e < d; e += kThreadsPerRow * 8) {
        float key[8];
        unpack8<T>(__ldg(reinterpret_cast<const uint4*>(keys + row * d + e)), key);
#pragma unroll
        for (int g = 0; g < kMaxGroup; ++g) {
          if (g >= group) break;
#pragma unroll
          for (int i = 0; i < 8; ++i) dot[g] = fmaf(queries[g * d + e + i], key[i], dot[g]);
        }
      }
    }
#pragma unroll
    for (int g = 0; g < kMaxGroup; ++g) {
      if (g >= group) break;
#pragma unroll
      for (int offset = 1; offset < kThreadsPerRow; offset <<= 1) {
        dot[g] += __shfl_xor_sync(0xffffffffu, dot[g], offset);
      }
      if (part == 0) scores[g][row] = row < count ? dot[g] : -INFINITY;
    }
  }
  __syncthreads();

  for (int g = warp; g < group; g += kAttentionThreads / 32) {  // one lane per row
    const float score = scores[g][lane];
    const float highest = warp_max(score);
    const float p = lane < count ? __expf(score - highest) : 0.0f;
    scores[g][lane] = p;
    const float sum = warp_sum(p);
    if (lane == 0) {
      row_max[g] = highest;
      row_sum[g] = sum;
    }
  }
  __syncthreads();

  const int column_groups = d / 8;
  const int row_groups = kAttentionThreads / column_groups;
  const int column = (tid % column_groups) * 8;
  const int row_group = tid / column_groups;
  if (row_group < row_groups) {
    float out[kMaxGroup][8] = {};
    for (int r = row_group; r < count; r += row_groups) {
      float value[8];
      unpack8<T>(__ldg(reinterpret_cast<const uint4*>(values + r * d + column)), value);
#pragma unroll
      for (int g = 0; g < kMaxGroup; ++g) {
        if (g >= group) break;
        const float p = scores[g][r];
#pragma unroll
        for (int i = 0; i < 8; ++i) out[g][i] = fmaf(p, value[i], out[g][i]);
      }
    }
#pragma unroll
    for (int g = 0; g < kMaxGroup; ++g) {
      if (g >= group) break;
#pragma unroll
      for (int i = 0; i < 8; ++i) value_sums[(row_group * group + g) * d + column + i] = out[g][i];
    }
  }
  __syncthreads();

  for (int index = tid; index < group * d; index += kAttentionThreads) {
    float total = 0.0f;
    for (int r = 0; r < row_groups; ++r) total += value_sums[r * group * d + index];
    const int g = index / d;
    partial_out[(partial_head + g * splits) * d + index % d] = total;
  }
  if (tid < group) {
    partial_max[partial_head + tid * splits] = row_max[tid];
    partial_sum[partial_head + tid * splits] = row_sum[tid];
  }
}

// Block (head, b): the splits' partial results weighted by their share of the softmax (only
// the splits that hold rows).
template <typename T>
__global__ void attention_combine_kernel(DecodeAttention a, std::int64_t splits) {
  const std::int64_t head = blockIdx.x;
  const std::int64_t b = blockIdx.y;
  const std::int64_t d = a.head_dim;
  const std::int64_t base = (b * a.heads + head) * splits;
  const std::int64_t used = min(splits, (a.rows[b] + kChunkRows) / kChunkRows);
  const float* partial_out = a.partial;
  const float* partial_max = a.partial + a.batch * a.heads * splits * d;
  const float* partial_sum = partial_max + a.batch * a.heads * splits;
  float highest = -INFINITY;
  for (std::int64_t s = 0; s < used; ++s) highest = fmaxf(highest, partial_max[base + s]);
  for (std::int64_t e = threadIdx.x; e < d; e += blockDim.x) {
    float total = 0.0f, weight_sum = 0.0f;
#pragma unroll 8
    for (std::int64_t s = 0; s < used; ++s) {
      const float weight = __expf(partial_max[base + s] - highest);
      total = fmaf(weight, partial_out[(base + s) * d + e], total);
      weight_sum = fmaf(weight, partial_sum[base + s], weight_sum);
    }
    static_cast<T*>(a.out)[(b * a.heads + head) * d + e] = from_float<T>(total / weight_sum);
  }
}

// Block per row: RMSNorm with the norm's weight, 16-byte loads, the sum of squares reduced over
// the block; the row is read twice (the second time from cache).
template <typename T>
__global__ void rms_norm_kernel(const T* x, const T* weight, std::int64_t width, float eps,
                                T* out) {
  __shared__ float sums[32];
  const uint4* row = reinterpret_cast<const uint4*>(x + blockIdx.x * width);
  const uint4* scale_row = reinterpret_cast<const uint4*>(weight);
  uint4* target = reinterpret_cast<uint4*>(out + blockIdx.x * width);
  const auto loads = static_cast<int>(width / 8);
  float squares = 0.0f;
  for (int i = static_cast<int>(threadIdx.x); i < loads; i += static_cast<int>(blockDim.x)) {
    float v[8];
    unpack8<T>(row[i], v);
#pragma unroll
    for (int j = 0; j < 8; ++j) squares = fmaf(v[j], v[j], squares);
  }
  const float scale = rsqrtf(block_sum(squares, sums) / static_cast<float>(width) + eps);
  for (int i = static_cast<int>(threadIdx.x); i < loads; i += static_cast<int>(blockDim.x)) {
    float v[8], w[8];
    unpack8<T>(row[i], v);
    unpack8<T>(scale_row[i], w);
#pragma unroll
    for (int j = 0; j < 8; ++j) v[j] *= scale * w[j];
    target[i] = pack8<T>(v);
  }
}

template <typename T>
__global__ void silu_mul_kernel(const T* gate_up, std::int64_t rows, std::int64_t width, T* out) {
  const std::int64_t index = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (index >= rows * width) return;
  const std::int64_t row = index / width;
  const std::int64_t column = index % width;
  const float gate = to_float(gate_up[row * 2 * width + column]);
  const float up = to_float(gate_up[row * 2 * width + width + column]);
  out[index] = from_float<T>(gate / (1.0f + __expf(-gate)) * up);
}

template <typename T>
cudaError_t qkv_to_cache_for(const QkvToCache& args, cudaStream_t stream) {
  const dim3 grid(static_cast<unsigned>(args.heads + 2 * args.kv_heads),
                  static_cast<unsigned>(args.batch));
  qkv_to_cache_kernel<T><<<grid, static_cast<unsigned>(args.head_dim / 2), 0, stream>>>(args);
  return cudaGetLastError();
}

template <typename T>
cudaError_t attention_for(const DecodeAttention& args, cudaStream_t stream) {
  const std::int64_t splits = splits_for(args.capacity);
  const dim3 partial_grid(static_cast<unsigned>(splits), static_cast<unsigned>(args.kv_heads),
                          static_cast<unsigned>(args.batch));
  const std::int64_t row_groups = kAttentionThreads / (args.head_dim / 8);
  const auto shared_bytes = static_cast<std::size_t>((1 + row_groups) * args.heads /
                                                     args.kv_heads * args.head_dim) *
                            sizeof(float);
  attention_partial_kernel<T><<<partial_grid, kAttentionThreads, shared_bytes, stream>>>(args);
  if (const cudaError_t error = cudaGetLastError(); error != cudaSuccess) return error;
  const dim3 combine_grid(static_cast<unsigned>(args.heads), static_cast<unsigned>(args.batch));
  const auto threads = static_cast<unsigned>(args.head_dim < 1024 ? args.head_dim : 1024);
  attention_combine_kernel<T><<<combine_grid, threads, 0, stream>>>(args, splits);
  return cudaGetLastError();
}

template <typename T>
cudaError_t silu_mul_for(const void* gate_up, std::int64_t rows, std::int64_t width, void* out,
                         cudaStream_t stream) {
  const auto blocks = static_cast<unsigned>((rows * width + 255) / 256);
  silu_mul_kernel<T>
      <<<blocks, 256, 0, stream>>>(static_cast<const T*>(gate_up), rows, width, static_cast<T*>(out));
  return cudaGetLastError();
}

template <typename T>
cudaError_t rms_norm_for(const void* x, const void* weight, std::int64_t rows, std::int64_t width,
                         float eps, void* out, cudaStream_t stream) {
  rms_norm_kernel<T><<<static_cast<unsigned>(rows), 256, 0, stream>>>(
      static_cast<const T*>(x), static_cast<const T*>(weight), width, eps, static_cast<T*>(out));
  return cudaGetLastError();
}

}  // namespace

cudaError_t launch_rms_norm(Element element, const void* x, const void* weight, std::int64_t rows,
                            std::int64_t width, float eps, void* out, cudaStream_t stream) {
  if (width % 8 != 0) return cudaErrorInvalidValue;
  return element == Element::bfloat16
             ? rms_norm_for<__nv_bfloat16>(x, weight, rows, width, eps, out, stream)
             : rms_norm_for<__half>(x, weight, rows, width, eps, out, stream);
}

cudaError_t launch_qkv_to_cache(Element element, const QkvToCache& args, cudaStream_t stream) {
  if (args.head_dim % 2 != 0 || args.head_dim / 2 > 1024) return cudaErrorInvalidValue;
  return element == Element::bfloat16 ? qkv_to_cache_for<__nv_bfloat16>(args, stream)
                                      : qkv_to_cache_for<__half>(args, stream);
}

std::int64_t attention_scratch_floats(std::int64_t batch, std::int64_t heads,
                                      std::int64_t head_dim, std::int64_t capacity) {
  return batch * heads * splits_for(capacity) * (head_dim + 2);
}

cudaError_t launch_decode_attention(Element element, const DecodeAttention& args,
                                    cudaStream_t stream) {
  // 16-byte rows of 8 elements, at most one column group per thread, shared memory under 48 KB.
  if (args.kv_heads <= 0 || args.heads % args.kv_heads != 0 ||
      args.heads / args.kv_heads > kMaxGroup || args.head_dim % 8 != 0 ||
      args.head_dim / 8 > kAttentionThreads || args.head_dim > 256) {
    return cudaErrorInvalidValue;
  }
  return element == Element::bfloat16 ? attention_for<__nv_bfloat16>(args, stream)
                                      : attention_for<__half>(args, stream);
}

cudaError_t launch_silu_mul(Element element, const void* gate_up, std::int64_t rows,
                            std::int64_t width, void* out, cudaStream_t stream) {
  return element == Element::bfloat16
             ? silu_mul_for<__nv_bfloat16>(gate_up, rows, width, out, stream)
             : silu_mul_for<__half>(gate_up, rows, width, out, stream);
}

}  // namespace seer::models::kernels
