#pragma once

// Conversions between the activations' 16-bit element types and float inside kernels: two
// elements of a 32-bit word at a time, and 16-byte vectors of eight.

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdint>

namespace seer::models::kernels {

template <typename T>
__device__ __forceinline__ float2 unpack2(std::uint32_t word);

// bfloat16 is the upper half of a float: shifting is the conversion.
template <>
__device__ __forceinline__ float2 unpack2<__nv_bfloat16>(std::uint32_t word) {
  return make_float2(__uint_as_float(word << 16), __uint_as_float(word & 0xffff0000u));
}

template <>
__device__ __forceinline__ float2 unpack2<__half>(std::uint32_t word) {
  return make_float2(__half2float(__ushort_as_half(static_cast<unsigned short>(word & 0xffffu))),
                     __half2float(__ushort_as_half(static_cast<unsigned short>(word >> 16))));
}

template <typename T>
__device__ __forceinline__ void unpack8(const uint4& raw, float (&out)[8]) {
  const float2 a = unpack2<T>(raw.x), b = unpack2<T>(raw.y), c = unpack2<T>(raw.z),
               d = unpack2<T>(raw.w);
  out[0] = a.x, out[1] = a.y, out[2] = b.x, out[3] = b.y;
  out[4] = c.x, out[5] = c.y, out[6] = d.x, out[7] = d.y;
}

template <typename T>
__device__ __forceinline__ float to_float(T value);
template <>
__device__ __forceinline__ float to_float<__nv_bfloat16>(__nv_bfloat16 value) {
  return __bfloat162float(value);
}
template <>
__device__ __forceinline__ float to_float<__half>(__half value) {
  return __half2float(value);
}

template <typename T>
__device__ __forceinline__ T from_float(float value);
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float value) {
  return __float2bfloat16_rn(value);
}
template <>
__device__ __forceinline__ __half from_float<__half>(float value) {
  return __float2half_rn(value);
}

// Eight floats rounded into a 16-byte vector.
template <typename T>
__device__ __forceinline__ uint4 pack8(const float (&in)[8]) {
  uint4 raw;
  T* elements = reinterpret_cast<T*>(&raw);
#pragma unroll
  for (int i = 0; i < 8; ++i) elements[i] = from_float<T>(in[i]);
  return raw;
}

// `combine` over the warp's 32 values (butterfly: every lane gets the result).
template <typename Combine>
__device__ __forceinline__ float warp_reduce(float value, Combine combine) {
#pragma unroll
  for (int offset = 16; offset > 0; offset >>= 1) {
    value = combine(value, __shfl_xor_sync(0xffffffffu, value, offset));
  }
  return value;
}

__device__ __forceinline__ float warp_sum(float value) {
  return warp_reduce(value, [](float a, float b) { return a + b; });
}

__device__ __forceinline__ float warp_max(float value) {
  return warp_reduce(value, [](float a, float b) { return fmaxf(a, b); });
}

}  // namespace seer::models::kernels
