// seer's CUDA kernels against library computations in float32 on fresh random inputs: the
// products on every stored format (plain, normalising their input, gated), attention from the
// QKV rows, RMSNorm and the MLP gate. Skipped
// without a CUDA device or without the kernels.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "fixture_support.hpp"
#include "kernels/decode_kernels.hpp"
#include "seer/models/cuda_runtime.hpp"
#include "seer/models/quantization.hpp"

namespace seer::models {
namespace {

using test::relative_error;

class KernelsGpu : public testing::Test {
 protected:
  void SetUp() override {
    const auto probe = at::TensorOptions().dtype(at::kBFloat16);
    if (!cuda::available() || !kernels::available_for(at::empty({1}, probe.device(at::kCUDA)))) {
      GTEST_SKIP() << "no CUDA device or no kernels in this build";
    }
  }
};

using GemvCase = std::tuple<Quantization, at::ScalarType, std::int64_t /*rows*/,
                            std::int64_t /*out*/, std::int64_t /*in*/>;

class GemvGpu : public testing::TestWithParam<GemvCase> {
 protected:
  void SetUp() override {
    if (!cuda::available()) GTEST_SKIP() << "no CUDA device";
  }
};

TEST_P(GemvGpu, MatchesTheDequantisedProductInFloat32) {
  const auto [quantization, dtype, rows, out, in] = GetParam();
  const auto on_gpu = at::TensorOptions().device(at::kCUDA).dtype(dtype);
  const at::Tensor x = at::randn({rows, in}, on_gpu);
  if (!kernels::available_for(x)) GTEST_SKIP() << "no kernels in this build";
  const LinearWeight weight = quantize(at::randn({out, in}, on_gpu), quantization, dtype);
  if (quantization == Quantization::none && rows >= 4) {
    EXPECT_FALSE(kernels::gemv_fits(x, weight)) << "4+ rows of bf16/fp16 go to cuBLAS";
    return;
  }
  ASSERT_TRUE(kernels::gemv_fits(x, weight));
  const at::Tensor bias = at::randn({out}, on_gpu);
  const at::Tensor residual = at::randn({rows, out}, on_gpu);
  const at::Tensor ours = kernels::gemv(x, weight, bias, residual);
  const at::Tensor matrix = dequantize(weight, at::kFloat);
  const at::Tensor reference =
      at::linear(x.to(at::kFloat), matrix, bias.to(at::kFloat)) + residual.to(at::kFloat);
  EXPECT_LT(relative_error(ours.to(at::kFloat).cpu(), reference.cpu()), 1e-2);
  // Without bias and residual, and the kernel's dequantisation against the library's.
  const at::Tensor bare = kernels::gemv(x, weight, {}, {});
  EXPECT_LT(relative_error(bare.to(at::kFloat).cpu(), at::linear(x.to(at::kFloat), matrix).cpu()),
            1e-2);
  if (quantization != Quantization::none) {
    EXPECT_LT(relative_error(kernels::dequantize(weight, dtype).to(at::kFloat).cpu(),
                             matrix.to(at::kFloat).cpu()),
              1e-2);
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, GemvGpu,
                         testing::Combine(testing::Values(Quantization::none, Quantization::int8,
                                                          Quantization::int4, Quantization::nf4),
                                          testing::Values(at::kBFloat16, at::kHalf),
                                          testing::Values(1, 3, 8),
                                          testing::Values(4608, 160, 12288, 16384),
                                          testing::Values(3584, 160)));

// The library's version of the step's attention part, in float32.
struct Reference {
  at::Tensor queries, keys, values;
};

Reference reference_qkv(const at::Tensor& qkv, const at::Tensor& qk_norm,
                        const at::Tensor& inverse_frequencies, const at::Tensor& positions,
                        std::int64_t heads, std::int64_t kv_heads, std::int64_t d, double eps) {
  const std::int64_t batch = qkv.size(0);
  const at::Tensor f = qkv.to(at::kFloat).view({batch, heads + 2 * kv_heads, d});
  const at::Tensor qk = f.narrow(1, 0, heads + kv_heads);
  const at::Tensor normed =
      qk * at::rsqrt(qk.pow(2).mean(-1, true) + eps) * qk_norm.to(at::kFloat).unsqueeze(0);
  const at::Tensor angles = positions.to(at::kFloat).unsqueeze(1) * inverse_frequencies;
  const at::Tensor cos = at::cat({angles, angles}, 1).cos().unsqueeze(1);
  const at::Tensor sin = at::cat({angles, angles}, 1).sin().unsqueeze(1);
  const at::Tensor rotated_half =
      at::cat({-normed.narrow(-1, d / 2, d / 2), normed.narrow(-1, 0, d / 2)}, -1);
  const at::Tensor rotated = normed * cos + rotated_half * sin;
  return {rotated.narrow(1, 0, heads), rotated.narrow(1, heads, kv_heads),
          f.narrow(1, heads + kv_heads, kv_heads)};
}

TEST_F(KernelsGpu, AttentionFromQkvMatchesTheLibrary) {
  for (const auto& [heads, kv_heads, d, capacity] :
       std::vector<std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t>>{
           {28, 4, 128, 1300}, {4, 2, 16, 64}}) {
    const std::int64_t batch = 5;
    const auto options = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
    const auto longs = at::TensorOptions().device(at::kCUDA).dtype(at::kLong);
    const at::Tensor qkv = at::randn({batch, (heads + 2 * kv_heads) * d}, options);
    const at::Tensor qk_norm = at::rand({heads + kv_heads, d}, options) + 0.5;
    const at::Tensor inverse_frequencies = at::reciprocal(
        at::pow(1e6, at::arange(0, d, 2, longs.dtype(at::kFloat)) / static_cast<double>(d)));
    const at::Tensor positions =
        at::tensor(std::vector<std::int64_t>{3, 700, 40, 383, 390}, at::kLong).to(at::kCUDA);
    // One row, many chunks, a few; the most rows one block attends (383, below the kernel's
    // kShortRows) and the fewest that are split over blocks.
    const std::int64_t last = capacity - 1;
    const auto row_within = [last](std::int64_t row) { return std::min(last, row); };
    const at::Tensor rows = at::tensor(std::vector<std::int64_t>{0, row_within(1000), 37,
                                                                 row_within(383), row_within(384)},
                                       at::kLong)
                                .to(at::kCUDA);
    at::Tensor keys = at::randn({batch + 1, kv_heads, capacity, d}, options);
    at::Tensor values = at::randn_like(keys);
    const double eps = 1e-6;
    const at::Tensor scratch = kernels::attention_scratch(batch + 1, heads, d, capacity, at::kCUDA);
    const at::Tensor attended = kernels::decode_attention(
        qkv, qk_norm, inverse_frequencies, positions, rows, keys, values, scratch, heads, eps);
    const Reference expected =
        reference_qkv(qkv, qk_norm, inverse_frequencies, positions, heads, kv_heads, d, eps);
    for (std::int64_t b = 0; b < batch; ++b) {
      const std::int64_t row = rows[b].item<std::int64_t>();
      EXPECT_LT(relative_error(keys[b].select(1, row).to(at::kFloat).cpu(), expected.keys[b].cpu()),
                1e-2);
      EXPECT_LT(
          relative_error(values[b].select(1, row).to(at::kFloat).cpu(), expected.values[b].cpu()),
          1e-2);
      const std::int64_t visible = row + 1;
      const at::Tensor q = expected.queries[b].view({kv_heads, heads / kv_heads, d});
      const at::Tensor k = keys[b].narrow(1, 0, visible).to(at::kFloat);
      const at::Tensor v = values[b].narrow(1, 0, visible).to(at::kFloat);
      const at::Tensor weights =
          at::softmax(at::matmul(q, k.transpose(1, 2)) / std::sqrt(static_cast<double>(d)), -1);
      const at::Tensor reference = at::matmul(weights, v).reshape({heads * d});
      EXPECT_LT(relative_error(attended[b].to(at::kFloat).cpu(), reference.cpu()), 1e-2)
          << "batch row " << b << ", " << visible << " rows visible";
    }
  }
}

// The products that normalise their input and apply the MLP's gate, against the norm, the
// product of the normalised input with the stored (folded) matrix and the gate, in float32.
TEST_F(KernelsGpu, NormalisingAndGatedProductsMatchTheLibrary) {
  for (const Quantization quantization :
       {Quantization::none, Quantization::int8, Quantization::int4, Quantization::nf4}) {
    for (const std::int64_t rows : {1, 3}) {
      const auto options = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
      const std::int64_t in = 3584;
      const std::int64_t width = 1024;
      const at::Tensor x = at::randn({rows, in}, options) * 4;
      const at::Tensor norm = at::rand({in}, options.dtype(at::kFloat)) + 0.5;
      const at::Tensor matrix = at::randn({2 * width, in}, options.dtype(at::kFloat)) * 0.05;
      const LinearWeight folded = quantize(matrix * norm.unsqueeze(0), quantization, at::kBFloat16);
      const at::Tensor bias = at::randn({2 * width}, options);
      const at::Tensor f = x.to(at::kFloat);
      const at::Tensor dense = dequantize(folded, at::kFloat);
      const at::Tensor product = at::linear(f * at::rsqrt(f.pow(2).mean(-1, true) + 1e-6), dense);
      EXPECT_LT(relative_error(kernels::normed_gemv(x, folded, bias, 1e-6).to(at::kFloat).cpu(),
                               (product + bias.to(at::kFloat)).cpu()),
                1e-2)
          << quantization_name(quantization) << ", " << rows << " rows";
      const at::Tensor gate = product.narrow(1, 0, width);
      const at::Tensor up = product.narrow(1, width, width);
      EXPECT_LT(relative_error(kernels::gated_gemv(x, folded, 1e-6).to(at::kFloat).cpu(),
                               (at::silu(gate) * up).cpu()),
                1e-2)
          << quantization_name(quantization) << ", " << rows << " rows";
    }
  }
}

TEST_F(KernelsGpu, FinishStepTakesTheArgmaxAndMovesEachSlotOn) {
  const auto options = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
  const auto longs = at::TensorOptions().device(at::kCUDA).dtype(at::kLong);
  at::Tensor logits = at::randn({3, 152064}, options);
  logits[1][70000] = 50.0;  // a tie: the first of the equal maxima wins, as in the library
  logits[1][90000] = 50.0;
  at::Tensor tokens = at::zeros({4}, longs);
  at::Tensor rows = at::tensor(std::vector<std::int64_t>{5, 99, 0, 7}, at::kLong).to(at::kCUDA);
  at::Tensor positions = at::tensor(std::vector<std::int64_t>{9, 3, 2, 1}, at::kLong).to(at::kCUDA);
  kernels::finish_step(logits, 100, tokens, rows, positions);
  const at::Tensor expected = logits.argmax(-1).cpu();
  for (std::int64_t b = 0; b < 3; ++b) {
    EXPECT_EQ(tokens[b].item<std::int64_t>(), expected[b].item<std::int64_t>()) << "row " << b;
  }
  EXPECT_EQ(tokens[1].item<std::int64_t>(), 70000);
  EXPECT_EQ(tokens[3].item<std::int64_t>(), 0) << "past the batch: untouched";
  // Cache rows move on but stay below the capacity (100); slot 3 is not in the batch.
  EXPECT_TRUE(at::equal(rows.cpu(), at::tensor(std::vector<std::int64_t>{6, 99, 1, 7}, at::kLong)));
  EXPECT_TRUE(
      at::equal(positions.cpu(), at::tensor(std::vector<std::int64_t>{10, 4, 3, 1}, at::kLong)));
}

TEST_F(KernelsGpu, RmsNormMatchesTheLibrary) {
  for (const std::int64_t rows : {1, 5}) {
    const auto options = at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16);
    const at::Tensor x = at::randn({rows, 3584}, options) * 3;
    const at::Tensor weight = at::rand({3584}, options) + 0.5;
    const at::Tensor f = x.to(at::kFloat);
    const at::Tensor reference =
        f * at::rsqrt(f.pow(2).mean(-1, true) + 1e-6) * weight.to(at::kFloat);
    EXPECT_LT(
        relative_error(kernels::rms_norm(x, weight, 1e-6).to(at::kFloat).cpu(), reference.cpu()),
        1e-2);
  }
}

TEST_F(KernelsGpu, SiluMulMatchesTheLibrary) {
  const at::Tensor gate_up =
      at::randn({5, 2 * 18944}, at::TensorOptions().device(at::kCUDA).dtype(at::kBFloat16));
  const at::Tensor f = gate_up.to(at::kFloat);
  const at::Tensor reference = at::silu(f.narrow(1, 0, 18944)) * f.narrow(1, 18944, 18944);
  EXPECT_LT(relative_error(kernels::silu_mul(gate_up).to(at::kFloat).cpu(), reference.cpu()), 1e-2);
}

}  // namespace
}  // namespace seer::models
