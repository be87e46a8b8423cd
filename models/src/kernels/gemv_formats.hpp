#pragma once

// The decode step's matrix-vector product as a template over the stored format
// (gemv_kernel.cuh), instantiated once per format in its own file (gemv_plain.cu, gemv_int8.cu,
// gemv_int4.cu, gemv_nf4.cu) so the formats' many kernels compile in parallel.

#include <cstdint>

#include "kernels/kernel_launch.hpp"

namespace seer::models::kernels {

// launch_gemv for weights stored as F.
template <WeightFormat F>
cudaError_t launch_gemv_in(Element element, const WeightView& weight, const void* x,
                           std::int64_t rows, std::int64_t n, std::int64_t k, const void* bias,
                           const void* residual, void* out, const GemvOptions& options,
                           cudaStream_t stream);

}  // namespace seer::models::kernels
