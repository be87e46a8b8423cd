#pragma once

// How each stored weight format turns one 16-byte load of a row into float weights: `kPerLoad`
// weights per load, unpacked eight at a time (`unpack(raw, s, out)` gives weights 8s..8s+7),
// a scale per load (`load_scale`, for group-wise formats) and one per row (`row_scale`). `row(r)`
// resolves a row's addresses once, so the inner loop indexes in 32 bits. A `kBiased` format's
// unpacked weights are code + kEvenBias (even elements) or + kOddBias (odd ones): the product
// takes the biases' share out once per load from the sums of its inputs, so turning a code into
// a float costs one byte permute.
// Integer codes become floats by the exponent trick: the code's byte moved into the mantissa of
// a power of two (2^23 + code exactly, or 128 + code, 2048 + code for biased formats).

#include <cstdint>

#include "kernels/element_math.cuh"
#include "kernels/kernel_launch.hpp"
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

__device__ __forceinline__ float load_shared(std::uint32_t address) {
  float value;
  asm volatile("ld.shared.f32 %0, [%1];" : "=f"(value) : "r"(address));
  return value;
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
  static constexpr bool kBiased = false;
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
  static constexpr bool kBiased = false;
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
  static constexpr bool kBiased = true;
  static constexpr float kEvenBias = 128.0f + 8.0f;   // 128 + (q + 8)
  static constexpr float kOddBias = 2048.0f + 8.0f;   // 2048 + (q + 8)
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
    // Even elements in the low nibbles, odd ones in the high nibbles, one of each per byte. A
    // low nibble moved to bits 16-19 under the exponent of 128 is 128 + code; a high nibble
    // (bits 4-7 of its byte) moved to bits 8-15 under the exponent of 2048 lands on bits 12-15,
    // 2048 + code. Both exact, and small enough that the products keep float's precision.
    const std::uint32_t word = word_of(raw, s);
    const std::uint32_t even = word & 0x0f0f0f0fu;
    const std::uint32_t odd = word & 0xf0f0f0f0u;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      out[2 * j] = __uint_as_float(__byte_perm(even, 0x43000000u, 0x7054u | (j << 8)));
      out[2 * j + 1] = __uint_as_float(__byte_perm(odd, 0x45000000u, 0x7604u | (j << 4)));
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
  static constexpr bool kBiased = false;
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
    // Each nibble times 4 is its entry's byte offset; the table sits at a multiple of 256 in
    // shared memory, so one byte permute writes the entry's whole address.
    const std::uint32_t word = word_of(raw, s);
    const std::uint32_t even = (word << 2) & 0x3c3c3c3cu;
    const std::uint32_t odd = (word >> 2) & 0x3c3c3c3cu;
    const auto base = static_cast<std::uint32_t>(__cvta_generic_to_shared(table));
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      out[2 * j] = load_shared(__byte_perm(even, base, 0x7650u | j));
      out[2 * j + 1] = load_shared(__byte_perm(odd, base, 0x7650u | j));
    }
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

// The format object of a stored matrix as a kernel takes it.
template <typename T>
struct Formats {
  template <WeightFormat F>
  static auto of(const WeightView& w, std::int64_t k) {
    if constexpr (F == WeightFormat::plain) {
      return PlainFormat<T>{static_cast<const uint4*>(w.data), static_cast<int>(k / 8)};
    } else if constexpr (F == WeightFormat::int8) {
      return Int8Format<T>{static_cast<const uint4*>(w.data), static_cast<int>(k / 16),
                           static_cast<const T*>(w.scales)};
    } else if constexpr (F == WeightFormat::int4) {
      int shift = 0;
      while ((32 << shift) < w.group) ++shift;
      return Int4Format<T>{static_cast<const uint4*>(w.data), static_cast<int>(k / 32),
                           static_cast<const T*>(w.scales), static_cast<int>(k / w.group), shift};
    } else {
      Nf4Format format{static_cast<const uint4*>(w.data), static_cast<int>(k / 32),
                       static_cast<const std::int8_t*>(w.scales), w.absmax_scales,
                       w.absmax_offset, {}, nullptr};
      for (int i = 0; i < 16; ++i) format.values[i] = quant::kNf4Values[i];
      return format;
    }
  }
};

// Calls `run(format)` with the view's format object.
template <typename T, typename Run>
cudaError_t with_format(const WeightView& weight, std::int64_t k, Run&& run) {
  switch (weight.format) {
    case WeightFormat::plain:
      return run(Formats<T>::template of<WeightFormat::plain>(weight, k));
    case WeightFormat::int8:
      return run(Formats<T>::template of<WeightFormat::int8>(weight, k));
    case WeightFormat::int4:
      return run(Formats<T>::template of<WeightFormat::int4>(weight, k));
    case WeightFormat::nf4:
      return run(Formats<T>::template of<WeightFormat::nf4>(weight, k));
  }
  return cudaErrorInvalidValue;
}

}  // namespace seer::models::kernels
