// Prefill on the GPU: seer's prefill kernels against the library's float32 computations at the
// 7B shape and the tiny fixture's, and the attention backend libtorch picks for a prefill.
// Skipped without a CUDA device or without the kernels.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <tuple>
#include <vector>

#include "bagel/language_rms_norm.hpp"
#include "bagel/rope.hpp"
#include "fixture_support.hpp"
#include "kernels/decode_kernels.hpp"
#include "seer/models/cuda_runtime.hpp"

#if __has_include(<ATen/ops/_fused_sdp_choice.h>) && __has_include(<ATen/SDPBackend.h>) && \
    __has_include(<ATen/cuda/CUDAContext.h>) && __has_include(<cuda_runtime_api.h>)
#include <ATen/SDPBackend.h>
#include <ATen/cuda/CUDAContext.h>
#define SEER_HAVE_SDP_CHOICE 1
#else
#define SEER_HAVE_SDP_CHOICE 0
#endif

namespace seer::models {
namespace {

using test::relative_error;

class PrefillKernelsGpu : public testing::TestWithParam<at::ScalarType> {
 protected:
  void SetUp() override {
    if (!cuda::available() || !kernels::available_for(at::empty(
                                  {1}, at::TensorOptions().dtype(GetParam()).device(at::kCUDA)))) {
      GTEST_SKIP() << "no CUDA device or no kernels in this build";
    }
  }
};

struct Shape {
  std::int64_t heads, kv_heads, head_dim, capacity, rows, first_row;
};

// Queries and keys RMS-normalised and rotated, values as they are: the library's reference path
// (language_rms_norm, rope) in float32 on the CPU.
std::tuple<at::Tensor, at::Tensor, at::Tensor> reference_qkv(const at::Tensor& qkv,
                                                             const at::Tensor& qk_norm,
                                                             const at::Tensor& positions,
                                                             const Shape& s, double eps) {
  const at::Tensor f = qkv.to(at::kFloat).cpu().view({s.rows, s.heads + 2 * s.kv_heads, -1});
  const RotaryEmbedding rope(s.head_dim, 1e6, at::kCPU);
  const at::Tensor rotated = apply_rotary(
      rms_norm(f.narrow(1, 0, s.heads + s.kv_heads), qk_norm.to(at::kFloat).cpu(), eps),
      rope.tables(positions.cpu(), at::kFloat));
  return {rotated.narrow(1, 0, s.heads), rotated.narrow(1, s.heads, s.kv_heads),
          f.narrow(1, s.heads + s.kv_heads, s.kv_heads)};
}

TEST_P(PrefillKernelsGpu, QkvToCacheMatchesTheLibraryAndWritesOnlyItsRows) {
  for (const Shape& s : {Shape{28, 4, 128, 5120, 4902, 37}, Shape{4, 2, 16, 64, 20, 5},
                         Shape{4, 2, 256, 64, 9, 50}}) {
    const auto options = at::TensorOptions().device(at::kCUDA).dtype(GetParam());
    const at::Tensor qkv = at::randn({s.rows, (s.heads + 2 * s.kv_heads) * s.head_dim}, options);
    const at::Tensor qk_norm = at::rand({s.heads + s.kv_heads, s.head_dim}, options) + 0.5;
    const at::Tensor positions =
        at::arange(s.rows, at::TensorOptions().dtype(at::kLong)).mul_(3).add_(11);
    const at::Tensor keys = at::randn({s.kv_heads, s.capacity, s.head_dim}, options);
    const at::Tensor values = at::randn_like(keys);
    const at::Tensor keys_before = keys.clone();
    const at::Tensor values_before = values.clone();
    const RotaryEmbedding rope(s.head_dim, 1e6, at::kCUDA);
    const double eps = 1e-6;
    const at::Tensor queries = kernels::prefill_qkv_to_cache(
        qkv, qk_norm, rope.inverse_frequencies(), positions.to(at::kCUDA), s.first_row, keys,
        values, s.heads, eps);
    const auto [q, k, v] = reference_qkv(qkv, qk_norm, positions, s, eps);
    ASSERT_EQ(queries.sizes(), (std::vector<std::int64_t>{s.rows, s.heads, s.head_dim}));
    EXPECT_LT(relative_error(queries.to(at::kFloat).cpu(), q), 1e-2) << s.head_dim;
    const auto written = [&](const at::Tensor& cache) {
      return cache.narrow(1, s.first_row, s.rows).transpose(0, 1).to(at::kFloat).cpu();
    };
    EXPECT_LT(relative_error(written(keys), k), 1e-2) << s.head_dim;
    EXPECT_TRUE(at::equal(written(values), v)) << "values are copied as they are";
    const std::int64_t after = s.first_row + s.rows;
    for (const auto& [cache, before] : {std::pair(keys, keys_before), {values, values_before}}) {
      EXPECT_TRUE(at::equal(cache.narrow(1, 0, s.first_row), before.narrow(1, 0, s.first_row)));
      EXPECT_TRUE(at::equal(cache.narrow(1, after, s.capacity - after),
                            before.narrow(1, after, s.capacity - after)));
    }
  }
}

TEST_P(PrefillKernelsGpu, SiluMulMatchesTheLibrary) {
  for (const auto& [rows, width] :
       std::vector<std::pair<std::int64_t, std::int64_t>>{{4902, 18944}, {7, 160}, {1, 8}}) {
    const at::Tensor gate_up =
        at::randn({rows, 2 * width}, at::TensorOptions().device(at::kCUDA).dtype(GetParam())) * 3;
    const at::Tensor f = gate_up.to(at::kFloat);
    const at::Tensor reference = at::silu(f.narrow(1, 0, width)) * f.narrow(1, width, width);
    EXPECT_LT(
        relative_error(kernels::prefill_silu_mul(gate_up).to(at::kFloat).cpu(), reference.cpu()),
        1e-2)
        << rows << " x " << width;
  }
}

INSTANTIATE_TEST_SUITE_P(Bf16AndFp16, PrefillKernelsGpu, testing::Values(at::kBFloat16, at::kHalf));

#if SEER_HAVE_SDP_CHOICE
// The language model's prefill attention at the 7B shape, as segment_attention hands it over
// (queries [n, heads, d] and one slot's cache rows seen as [1, heads, n, d] views, kv heads in
// their groups): on an H100 libtorch should take cuDNN's kernel (0.68 ms a layer against
// flash's 1.15 ms there).
TEST(PrefillAttentionGpu, CudnnTakesThePrefillAttentionOnHopper) {
  if (!cuda::available()) GTEST_SKIP() << "no CUDA device";
  const auto options = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
  const std::int64_t rows = 4902;
  const at::Tensor queries = at::randn({rows, 28, 128}, options);
  const at::Tensor cache = at::randn({4, 5120, 128}, options);
  const at::Tensor q = queries.transpose(0, 1).unsqueeze(0);
  const at::Tensor kv = cache.narrow(1, 0, rows).unsqueeze(0);
  const std::int64_t choice =
      at::_fused_sdp_choice(q, kv, kv, std::nullopt, 0.0, false, std::nullopt, true);
  const cudaDeviceProp* device = at::cuda::getCurrentDeviceProperties();
  std::cout << "prefill attention backend on sm" << device->major << device->minor << ": " << choice
            << " (cuDNN is " << static_cast<int>(at::SDPBackend::cudnn_attention) << ")"
            << std::endl;
  if (device->major != 9) GTEST_SKIP() << "not a Hopper GPU";
  EXPECT_EQ(choice, static_cast<std::int64_t>(at::SDPBackend::cudnn_attention));
}
#endif

}  // namespace
}  // namespace seer::models
