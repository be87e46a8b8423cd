#pragma once

// Weight-only quantisation of the language model's matrices for small cards: int8 (one scale
// per output row), int4 (one scale per group of 128, 64 or 32 inputs) and NF4 (bitsandbytes-
// style: 4-bit NormalFloat codes with an absmax per 64 weights, the absmaxes themselves
// quantised to int8 in groups of 256 around their mean). Activations stay bf16/fp16.

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace seer::models {

enum class Quantization { none, int8, int4, nf4 };

std::string_view quantization_name(Quantization quantization);
// "none", "int8", "int4" or "nf4"; throws std::invalid_argument naming the choices.
Quantization parse_quantization(std::string_view name);

// A linear layer's [out_features, in_features] weight as stored for inference.
struct LinearWeight {
  Quantization quantization = Quantization::none;
  at::Tensor data;           // none: the matrix; int8: [out, in] int8; int4, nf4: [out, in/2] uint8
  at::Tensor scales;         // int8: [out]; int4: [out, in/group] (the model dtype); nf4: int8
                             // codes of the [out * in / 64] block absmaxes
  at::Tensor absmax_scales;  // nf4: float32, one per 256 absmax codes
  double absmax_offset = 0;  // nf4: the mean absmax
  std::int64_t group = 0;    // int4: inputs per scale
  std::int64_t out_features = 0;
  std::int64_t in_features = 0;

  bool defined() const { return data.defined(); }
  // Bytes of every tensor it holds (what a decoding step reads).
  std::int64_t bytes() const;
};

// `weight` [out, in] (any float dtype, any device) stored as `quantization`, scales in `dtype`,
// on the weight's device. in_features must be a multiple of 32 for the 4-bit formats and of 16
// for int8; throws std::invalid_argument otherwise.
LinearWeight quantize(const at::Tensor& weight, Quantization quantization, at::ScalarType dtype);
// The [out, in] matrix in `dtype` that `weight` stands for.
at::Tensor dequantize(const LinearWeight& weight, at::ScalarType dtype);
// x [..., in] times the weight (+ bias [out]) (+ residual [..., out]). A few rows of bf16/fp16
// on a GPU go through seer's own kernels (the weight read once, in its stored form); anything
// else through the dequantised matrix and the library's product.
at::Tensor apply_linear(const at::Tensor& x, const LinearWeight& weight,
                        const at::Tensor& bias = {}, const at::Tensor& residual = {});

}  // namespace seer::models
