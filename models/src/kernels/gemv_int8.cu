// The decode step's products on INT8 weights (gemv_formats.hpp says why one file per format).
#include "kernels/gemv_kernel.cuh"

namespace seer::models::kernels {

template cudaError_t launch_gemv_in<WeightFormat::int8>(Element, const WeightView&, const void*,
                                                      std::int64_t, std::int64_t, std::int64_t,
                                                      const void*, const void*, void*,
                                                      const GemvOptions&, cudaStream_t);

}  // namespace seer::models::kernels
