// Builds without nvcc or without a CUDA libtorch: the kernels are absent and never chosen.
#include <stdexcept>

#include "kernels/decode_kernels.hpp"

namespace seer::models::kernels {
namespace {

[[noreturn]] void absent() {
  throw std::logic_error("seer was built without its CUDA kernels (no nvcc or no CUDA libtorch)");
}

}  // namespace

bool available_for(const at::Tensor&) { return false; }
bool gemv_fits(const at::Tensor&, const LinearWeight&) { return false; }
at::Tensor gemv(const at::Tensor&, const LinearWeight&, const at::Tensor&, const at::Tensor&) {
  absent();
}
at::Tensor normed_gemv(const at::Tensor&, const LinearWeight&, const at::Tensor&, double) {
  absent();
}
at::Tensor gated_gemv(const at::Tensor&, const LinearWeight&, double) { absent(); }
at::Tensor dequantize(const LinearWeight&, at::ScalarType) { absent(); }
at::Tensor attention_scratch(std::int64_t, std::int64_t, std::int64_t, std::int64_t, at::Device) {
  absent();
}
at::Tensor decode_attention(const at::Tensor&, const at::Tensor&, const at::Tensor&,
                            const at::Tensor&, const at::Tensor&, at::Tensor&, at::Tensor&,
                            const at::Tensor&, std::int64_t, double) {
  absent();
}
void finish_step(const at::Tensor&, std::int64_t, at::Tensor&, at::Tensor&, at::Tensor&) {
  absent();
}
at::Tensor rms_norm(const at::Tensor&, const at::Tensor&, double) { absent(); }
at::Tensor silu_mul(const at::Tensor&) { absent(); }

at::Tensor prefill_silu_mul(const at::Tensor&) { absent(); }
at::Tensor prefill_qkv_to_cache(const at::Tensor&, const at::Tensor&, const at::Tensor&,
                                const at::Tensor&, std::int64_t, const at::Tensor&,
                                const at::Tensor&, std::int64_t, double) {
  absent();
}

}  // namespace seer::models::kernels
