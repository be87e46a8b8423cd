// Quantising and dequantising with library tensor ops (any device); the decode step's products
// on a GPU read the stored form directly (kernels/gemv.cu).
#include "seer/models/quantization.hpp"

#include <ATen/ATen.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/decode_kernels.hpp"
#include "quant/nf4_table.hpp"

namespace seer::models {
namespace {

constexpr double kTiny = 1e-12;  // keeps an all-zero row or block from dividing by zero

// Two 4-bit codes [.., 2m] in 0..15 -> [.., m] bytes, the even element in the low nibble.
at::Tensor pack_nibbles(const at::Tensor& codes) {
  const at::Tensor pairs = codes.to(at::kByte).view({codes.size(0), -1, 2});
  return pairs.select(2, 0).bitwise_or(pairs.select(2, 1).bitwise_left_shift(4)).contiguous();
}

at::Tensor unpack_nibbles(const at::Tensor& packed) {
  return at::stack({packed.bitwise_and(15), packed.bitwise_right_shift(4)}, -1)
      .view({packed.size(0), -1});
}

at::Tensor nf4_values(const at::Device device) {
  return at::tensor(std::vector<float>(std::begin(quant::kNf4Values), std::end(quant::kNf4Values)),
                    at::TensorOptions().dtype(at::kFloat))
      .to(device);
}

std::int64_t int4_group(std::int64_t in_features) {
  for (const std::int64_t group : {128, 64, 32}) {
    if (in_features % group == 0) return group;
  }
  throw std::invalid_argument("int4 needs in_features to be a multiple of 32, got " +
                              std::to_string(in_features));
}

LinearWeight quantize_int8(const at::Tensor& w, at::ScalarType dtype) {
  const at::Tensor scales = (w.abs().amax(1).clamp_min(kTiny) / 127.0).to(dtype);
  return {.quantization = Quantization::int8,
          .data = (w / scales.to(at::kFloat).unsqueeze(1)).round().clamp(-127, 127).to(at::kChar),
          .scales = scales};
}

LinearWeight quantize_int4(const at::Tensor& w, at::ScalarType dtype) {
  const std::int64_t group = int4_group(w.size(1));
  const at::Tensor grouped = w.view({w.size(0), -1, group});
  const at::Tensor scales = (grouped.abs().amax(2).clamp_min(kTiny) / 7.0).to(dtype);
  const at::Tensor codes =
      (grouped / scales.to(at::kFloat).unsqueeze(2)).round().clamp(-8, 7).add(8).view_as(w);
  return {.quantization = Quantization::int4,
          .data = pack_nibbles(codes),
          .scales = scales,
          .group = group};
}

LinearWeight quantize_nf4(const at::Tensor& w) {
  const at::Tensor blocks = w.reshape({-1, quant::kNf4BlockSize});
  const at::Tensor absmax = blocks.abs().amax(1).clamp_min(kTiny);
  const at::Tensor values = nf4_values(w.device());
  // The nearest code: the number of midpoints between neighbouring codes below the value.
  const at::Tensor midpoints = (values.narrow(0, 0, 15) + values.narrow(0, 1, 15)) / 2;
  const at::Tensor codes = at::bucketize(blocks / absmax.unsqueeze(1), midpoints);
  // Double quantisation: absmaxes around their mean, int8 per group of 256.
  const double offset = absmax.mean().item<double>();
  const std::int64_t count = absmax.size(0);
  const std::int64_t padded = (count + quant::kNf4AbsmaxGroupSize - 1) /
                              quant::kNf4AbsmaxGroupSize * quant::kNf4AbsmaxGroupSize;
  const at::Tensor centred = at::constant_pad_nd(absmax - offset, {0, padded - count})
                                 .view({-1, quant::kNf4AbsmaxGroupSize});
  const at::Tensor absmax_scales = centred.abs().amax(1).clamp_min(kTiny) / 127.0;
  const at::Tensor absmax_codes = (centred / absmax_scales.unsqueeze(1))
                                      .round()
                                      .clamp(-127, 127)
                                      .to(at::kChar)
                                      .flatten()
                                      .narrow(0, 0, count)
                                      .contiguous();
  return {.quantization = Quantization::nf4,
          .data = pack_nibbles(codes.view_as(w)),
          .scales = absmax_codes,
          .absmax_scales = absmax_scales.contiguous(),
          .absmax_offset = offset};
}

at::Tensor dequantize_with_ops(const LinearWeight& w, at::ScalarType dtype) {
  switch (w.quantization) {
    case Quantization::none:
      return w.data.to(dtype);
    case Quantization::int8:
      return (w.data.to(at::kFloat) * w.scales.to(at::kFloat).unsqueeze(1)).to(dtype);
    case Quantization::int4: {
      const at::Tensor codes = unpack_nibbles(w.data).to(at::kFloat).sub(8);
      return (codes.view({w.out_features, -1, w.group}) * w.scales.to(at::kFloat).unsqueeze(2))
          .view({w.out_features, w.in_features})
          .to(dtype);
    }
    case Quantization::nf4: {
      const at::Tensor values =
          nf4_values(w.data.device())
              .index_select(0, unpack_nibbles(w.data).flatten().to(at::kLong));
      const at::Tensor absmax =
          w.scales.to(at::kFloat) * w.absmax_scales.repeat_interleave(quant::kNf4AbsmaxGroupSize)
                                        .narrow(0, 0, w.scales.size(0)) +
          w.absmax_offset;
      return (values.view({-1, quant::kNf4BlockSize}) * absmax.unsqueeze(1))
          .view({w.out_features, w.in_features})
          .to(dtype);
    }
  }
  throw std::logic_error("dequantize: unknown quantization");
}

}  // namespace

std::string_view quantization_name(Quantization quantization) {
  switch (quantization) {
    case Quantization::none:
      return "none";
    case Quantization::int8:
      return "int8";
    case Quantization::int4:
      return "int4";
    case Quantization::nf4:
      return "nf4";
  }
  return "unknown";
}

Quantization parse_quantization(std::string_view name) {
  for (const Quantization q :
       {Quantization::none, Quantization::int8, Quantization::int4, Quantization::nf4}) {
    if (name == quantization_name(q)) return q;
  }
  throw std::invalid_argument("unknown quantization '" + std::string(name) +
                              "' (choose none, int8, int4 or nf4)");
}

std::int64_t LinearWeight::bytes() const {
  std::int64_t total = 0;
  for (const at::Tensor* t : {&data, &scales, &absmax_scales}) {
    if (t->defined()) total += static_cast<std::int64_t>(t->nbytes());
  }
  return total;
}

LinearWeight quantize(const at::Tensor& weight, Quantization quantization, at::ScalarType dtype) {
  if (weight.dim() != 2) throw std::invalid_argument("quantize: the weight must be [out, in]");
  const std::int64_t out = weight.size(0);
  const std::int64_t in = weight.size(1);
  const std::int64_t multiple = quantization == Quantization::int8   ? 16
                                : quantization == Quantization::none ? 1
                                                                     : 32;
  if (in % multiple != 0) {
    throw std::invalid_argument("quantize: " + std::string(quantization_name(quantization)) +
                                " needs in_features to be a multiple of " +
                                std::to_string(multiple) + ", got " + std::to_string(in));
  }
  if (quantization == Quantization::nf4 && (out * in) % quant::kNf4BlockSize != 0) {
    throw std::invalid_argument("quantize: nf4 needs a multiple of 64 weights, got " +
                                std::to_string(out * in));
  }
  LinearWeight result;
  if (quantization == Quantization::none) {
    result = {.data = weight.to(dtype).contiguous()};
  } else {
    const at::Tensor w = weight.to(at::kFloat).contiguous();
    result = quantization == Quantization::int8   ? quantize_int8(w, dtype)
             : quantization == Quantization::int4 ? quantize_int4(w, dtype)
                                                  : quantize_nf4(w);
  }
  result.out_features = out;
  result.in_features = in;
  return result;
}

at::Tensor dequantize(const LinearWeight& weight, at::ScalarType dtype) {
  if (weight.quantization != Quantization::none && weight.data.is_cuda() &&
      (dtype == at::kBFloat16 || dtype == at::kHalf) &&
      kernels::available_for(at::empty({0}, weight.data.options().dtype(dtype)))) {
    return kernels::dequantize(weight, dtype);
  }
  return dequantize_with_ops(weight, dtype);
}

at::Tensor apply_linear(const at::Tensor& x, const LinearWeight& weight, const at::Tensor& bias,
                        const at::Tensor& residual) {
  const at::Tensor rows = x.reshape({-1, weight.in_features});
  if (kernels::gemv_fits(rows, weight)) {
    const at::Tensor flat_residual =
        residual.defined() ? residual.reshape({-1, weight.out_features}) : residual;
    at::Tensor out = kernels::gemv(rows, weight, bias, flat_residual);
    std::vector<std::int64_t> shape(x.sizes().begin(), x.sizes().end());
    shape.back() = weight.out_features;
    return out.view(shape);
  }
  const at::Tensor matrix =
      weight.quantization == Quantization::none ? weight.data : dequantize(weight, x.scalar_type());
  at::Tensor out = at::linear(x, matrix, bias.defined() ? bias : at::Tensor());
  return residual.defined() ? out.add_(residual) : out;
}

}  // namespace seer::models
