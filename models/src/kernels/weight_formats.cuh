#pragma once

// How each stored weight format turns one 16-byte load of a row into float weights: `kPerLoad`
// weights per load, unpacked eight at a time (`unpack(raw, s, out)` gives weights 8s..8s+7),
// a scale per load (`load_scale`, for group-wise formats) and one per row (`row_scale`). `row(r)`
// resolves a row's addresses once, so the inner loop indexes in 32 bits.
// Integer codes become floats by the exponent trick (a code OR-ed into the mantissa of 2^23,
// then 2^23 plus the code's bias subtracted): one logic op and one add instead of a conversion.

#include <cstdint>

#include "kernels/element_math.cuh"
#include "quant/nf4_table.hpp"

namespace seer::models::kernels {

__device__ __forceinline__ uint4 load_streaming(const uint4* address) {
  // Weights are read once per step: keep them out of L1 and ask L2 to fetch 256 bytes ahead.
  uint4 v;
  asm("ld.global.nc.L1::no_allocate.L2::256B.v4.u32 {%0, %1, %2, %3}, [%4];"
      : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
      : "l"(address));
  return v;
}

__device__ __forceinline__ std::uint32_t word_of(const uint4& raw, int index) {
  return index == 0 ? raw.x : index == 1 ? raw.y : index == 2 ? raw.z : raw.w;
}

// 2^23 + byte `index` of `word`, exactly: the byte moved into the mantissa of 2^23 (one PRMT).
__device__ __forceinline__ float byte_as_float(std::uint32_t word, int index) {
  return __uint_as_float(__byte_perm(word, 0x4B000000u, 0x7540u | static_cast<unsigned>(index)));
}

template <typename T>
struct PlainFormat {
  static constexpr int kPerLoad = 8;
  const uint4* data;
  int loads_per_row;

  struct Row {
    const uint4* data;
  };
  __device__ void prepare(float*) {}
  __device__ Row row(std::int64_t r) const { return {data + r * loads_per_row}; }
  __device__ uint4 load(const Row& row, int index) const {
    return load_streaming(row.data + index);
  }
  __device__ void unpack(const uint4& raw, int, float (&out)[8]) const { unpack8<T>(raw, out); }
  __device__ float load_scale(const Row&, int) const { return 1.0f; }
  __device__ float row_scale(std::int64_t) const { return 1.0f; }
};

// Symmetric int8 with one scale per output row.
template <typename T>
struct Int8Format {
  static constexpr int kPerLoad = 16;
  const uint4* data;
  int loads_per_row;
  const T* scales;  // [n]

  struct Row {
    const uint4* data;
  };
  __device__ void prepare(float*) {}
  __device__ Row row(std::int64_t r) const { return {data + r * loads_per_row}; }
  __device__ uint4 load(const Row& row, int index) const {
    return load_streaming(row.data + index);
  }
  __device__ void unpack(const uint4& raw, int s, float (&out)[8]) const {
#pragma unroll
    for (int half = 0; half < 2; ++half) {
      // Flipping the sign bit makes the byte q + 128, unsigned.
      const std::uint32_t word = word_of(raw, 2 * s + half) ^ 0x80808080u;
#pragma unroll
      for (int j = 0; j < 4; ++j) out[4 * half + j] = byte_as_float(word, j) - 8388736.0f;
    }
  }
  __device__ float load_scale(const Row&, int) const { return 1.0f; }
  __device__ float row_scale(std::int64_t r) const { return to_float(scales[r]); }
};

// Symmetric int4 (codes q + 8 in nibbles, the even element in the low nibble) with one scale
// per group of 32 << group_shift elements of a row.
template <typename T>
struct Int4Format {
  static constexpr int kPerLoad = 32;
  const uint4* data;
  int loads_per_row;
  const T* scales;  // [n, k / group]
  int groups_per_row;
  int group_shift;  // log2(loads per group)

  struct Row {
    const uint4* data;
    const T* scales;
  };
  __device__ void prepare(float*) {}
  __device__ Row row(std::int64_t r) const {
    return {data + r * loads_per_row, scales + r * groups_per_row};
  }
  __device__ uint4 load(const Row& row, int index) const {
    return load_streaming(row.data + index);
  }
  __device__ void unpack(const uint4& raw, int s, float (&out)[8]) const {
    // Even elements in the low nibbles, odd ones in the high nibbles, one per byte.
    const std::uint32_t word = word_of(raw, s);
    const std::uint32_t even = word & 0x0f0f0f0fu;
    const std::uint32_t odd = (word >> 4) & 0x0f0f0f0fu;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      out[2 * j] = byte_as_float(even, j) - 8388616.0f;
      out[2 * j + 1] = byte_as_float(odd, j) - 8388616.0f;
    }
  }
  __device__ float load_scale(const Row& row, int index) const {
    return to_float(row.scales[index >> group_shift]);
  }
  __device__ float row_scale(std::int64_t) const { return 1.0f; }
};

// NF4 codes in nibbles (as Int4Format) with an absmax per 64 weights of the flattened matrix;
// the absmaxes themselves are int8 codes with one float scale per 256 of them, around a mean
// (double quantisation). prepare() (every thread of the block) puts the code table in shared
// memory: lanes look up different codes, which constant memory would serialise.
struct Nf4Format {
  static constexpr int kPerLoad = 32;
  const uint4* data;
  int loads_per_row;
  const std::int8_t* absmax_codes;
  const float* absmax_scales;
  float absmax_offset;
  float values[16];  // quant::kNf4Values, passed with the kernel's arguments
  float* table;      // the same in shared memory, filled by prepare()

  struct Row {
    const uint4* data;
    std::int64_t first_load;  // of the row in the flattened matrix
  };
  __device__ void prepare(float* shared_table) {
    table = shared_table;
    if (threadIdx.x == 0) {
#pragma unroll
      for (int i = 0; i < 16; ++i) table[i] = values[i];
    }
    __syncthreads();
  }
  __device__ Row row(std::int64_t r) const {
    return {data + r * loads_per_row, r * loads_per_row};
  }
  __device__ uint4 load(const Row& row, int index) const {
    return load_streaming(row.data + index);
  }
  __device__ void unpack(const uint4& raw, int s, float (&out)[8]) const {
    const std::uint32_t word = word_of(raw, s);
#pragma unroll
    for (int j = 0; j < 8; ++j) out[j] = table[(word >> (4 * j)) & 0xfu];
  }
  __device__ float load_scale(const Row& row, int index) const {
    // 32 weights per load, 64 per block: a load never straddles two blocks.
    const std::int64_t block = (row.first_load + index) >> 1;
    return static_cast<float>(absmax_codes[block]) *
               absmax_scales[block / quant::kNf4AbsmaxGroupSize] +
           absmax_offset;
  }
  __device__ float row_scale(std::int64_t) const { return 1.0f; }
};

}  // namespace seer::models::kernels
