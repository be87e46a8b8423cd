// StaticDecoder's prefill of several segments in one pass over the weights, and the first token
// taken from the prefill: on the CPU in float32 against the segments prefilled one by one and
// the primer decoded in a step (the reference), and on CUDA (seer's prefill kernels) against the
// library's prefill. The bagel-tiny fixture's cases.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "gpu_fixture_case.hpp"
#include "seer/models/cuda_runtime.hpp"
#include "seer/models/static_decoder.hpp"

namespace seer::models {
namespace {

using test::GpuFixtureCase;
using test::relative_error;

struct Model {
  VisionTower vision;
  StaticDecoder decoder;
};

Model load(at::ScalarType dtype, at::Device device) {
  return {VisionTower::load(test::kFixtureDir, {.float_dtype = dtype, .device = device}),
          StaticDecoder(LanguageConfig::from_json_file(test::kFixtureDir / "llm_config.json"),
                        SafetensorsFile(test::kFixtureDir / "ema.safetensors"), dtype, device,
                        {.capacity = 2048})};
}

// A case's image blocks and its wrapped prompt, with the reply's primer <|im_start|> at the end
// when `primer`: generate_static's segments.
std::vector<LanguageSegment> case_segments(const Model& model, const GpuFixtureCase& fixture,
                                           bool primer) {
  std::vector<LanguageSegment> segments;
  std::int64_t rope = 0;
  for (const at::Tensor& pixels : fixture.pixel_values) {
    segments.push_back(image_segment(model.decoder, model.vision, pixels, rope++));
  }
  std::vector<std::int64_t> wrapped{kImStartId};
  wrapped.insert(wrapped.end(), fixture.prompt.begin(), fixture.prompt.end());
  wrapped.push_back(kImEndId);
  if (primer) wrapped.push_back(kImStartId);
  const auto count = static_cast<std::int64_t>(wrapped.size());
  segments.push_back({.embeddings = model.decoder.embed(at::tensor(wrapped, at::kLong)),
                      .positions = at::arange(rope, rope + count, at::kLong),
                      .attention = SegmentAttention::kCausal});
  return segments;
}

// Every layer's cached keys and values of slot 0, float32 on the CPU.
std::vector<at::Tensor> cache_of(const StaticDecoder& decoder) {
  std::vector<at::Tensor> rows;
  for (std::int64_t layer = 0; layer < decoder.config().num_layers; ++layer) {
    const auto [keys, values] = decoder.cached_rows(layer);
    rows.push_back(keys.to(at::kFloat).cpu());
    rows.push_back(values.to(at::kFloat).cpu());
  }
  return rows;
}

class StaticPrefillCpu : public testing::TestWithParam<std::string> {};

TEST_P(StaticPrefillCpu, OnePassEqualsTheSegmentsOneByOne) {
  static Model model = load(at::kFloat, at::kCPU);
  const GpuFixtureCase fixture(GetParam());
  const std::vector<LanguageSegment> segments = case_segments(model, fixture, false);
  model.decoder.clear();
  for (const LanguageSegment& segment : segments) model.decoder.prefill(segment);
  const std::int64_t length = model.decoder.length();
  const std::vector<at::Tensor> separate = cache_of(model.decoder);
  const StaticDecodeResult separate_decoded =
      model.decoder.decode(kImStartId, segments.back().positions[-1].item<std::int64_t>() + 1, 4);

  model.decoder.clear();
  model.decoder.prefill_segments(segments);
  ASSERT_EQ(model.decoder.length(), length);
  const std::vector<at::Tensor> joined = cache_of(model.decoder);
  for (std::size_t i = 0; i < joined.size(); ++i) {
    EXPECT_LT(relative_error(joined[i], separate[i]), 1e-5) << "layer " << i / 2;
  }
  const StaticDecodeResult joined_decoded =
      model.decoder.decode(kImStartId, segments.back().positions[-1].item<std::int64_t>() + 1, 4);
  EXPECT_EQ(joined_decoded.tokens, separate_decoded.tokens);
  EXPECT_LT(relative_error(joined_decoded.first_logits, separate_decoded.first_logits), 1e-5);
}

// The primer's row prefilled with the prompt gives the logits a decoding step of it gives.
TEST_P(StaticPrefillCpu, ThePrimersRowGivesTheFirstStepsLogits) {
  static Model model = load(at::kFloat, at::kCPU);
  const GpuFixtureCase fixture(GetParam());
  const std::vector<LanguageSegment> with_primer = case_segments(model, fixture, true);
  std::vector<LanguageSegment> segments = with_primer;
  LanguageSegment& prompt = segments.back();
  prompt.embeddings = prompt.embeddings.narrow(0, 0, prompt.embeddings.size(0) - 1);
  prompt.positions = prompt.positions.narrow(0, 0, prompt.positions.size(0) - 1);
  model.decoder.clear();
  model.decoder.prefill_segments(segments);
  const std::int64_t primer_position = segments.back().positions[-1].item<std::int64_t>() + 1;
  const StaticDecodeResult stepped = model.decoder.decode(kImStartId, primer_position, 1);
  const std::vector<at::Tensor> stepped_cache = cache_of(model.decoder);

  model.decoder.clear();
  const at::Tensor logits = model.decoder.prefill_logits(with_primer);
  EXPECT_EQ(logits.dim(), 1);
  EXPECT_LT(relative_error(logits, stepped.first_logits), 1e-5);
  ASSERT_EQ(stepped.tokens.size(), 1U);
  EXPECT_EQ(logits.argmax().item<std::int64_t>(), stepped.tokens.front());
  const std::vector<at::Tensor> prefilled_cache = cache_of(model.decoder);
  for (std::size_t i = 0; i < prefilled_cache.size(); ++i) {
    EXPECT_LT(relative_error(prefilled_cache[i], stepped_cache[i]), 1e-5) << "layer " << i / 2;
  }
}

TEST(StaticPrefill, SegmentsPastTheCapacityAreRefusedAndTheSlotKeepsItsRows) {
  StaticDecoder decoder(LanguageConfig::from_json_file(test::kFixtureDir / "llm_config.json"),
                        SafetensorsFile(test::kFixtureDir / "ema.safetensors"), at::kFloat,
                        at::kCPU, {.capacity = 16});
  const auto segment = [&](std::int64_t first, std::int64_t count) {
    return LanguageSegment{.embeddings = decoder.embed(at::arange(count, at::kLong) + 100),
                           .positions = at::arange(first, first + count, at::kLong),
                           .attention = SegmentAttention::kCausal};
  };
  decoder.prefill(segment(0, 6));
  const std::vector<at::Tensor> before = cache_of(decoder);
  const std::vector<LanguageSegment> too_many{segment(6, 5), segment(11, 6)};
  EXPECT_THROW(decoder.prefill_segments(too_many), std::length_error);
  EXPECT_THROW(decoder.prefill_segments({}), std::invalid_argument);
  EXPECT_EQ(decoder.length(), 6);
  const std::vector<at::Tensor> after = cache_of(decoder);
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_TRUE(at::equal(after[i], before[i]));
}

// seer's prefill kernels (bf16) against the library's prefill on the same weights: the same
// cache rows and last-row logits within bf16's rounding.
class StaticPrefillGpu : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!cuda::available()) GTEST_SKIP() << "no CUDA device: the GPU comparison is skipped";
  }
};

TEST_P(StaticPrefillGpu, KernelPrefillMatchesTheLibrarysPrefill) {
  static Model model = load(at::kBFloat16, at::kCUDA);
  if (!model.decoder.uses_own_kernels()) GTEST_SKIP() << "no kernels in this build";
  const GpuFixtureCase fixture(GetParam());
  const std::vector<LanguageSegment> segments = case_segments(model, fixture, true);
  model.decoder.clear();
  const at::Tensor kernel_logits = model.decoder.prefill_logits(segments);
  const std::vector<at::Tensor> kernel_cache = cache_of(model.decoder);
  model.decoder.set_step_options(true, true, /*own_kernels=*/false);
  model.decoder.clear();
  const at::Tensor library_logits = model.decoder.prefill_logits(segments);
  const std::vector<at::Tensor> library_cache = cache_of(model.decoder);
  model.decoder.set_step_options(true, true, true);
  for (std::size_t i = 0; i < kernel_cache.size(); ++i) {
    EXPECT_LT(relative_error(kernel_cache[i], library_cache[i]), 2e-2) << "layer " << i / 2;
  }
  const double error = relative_error(kernel_logits.cpu(), library_logits.cpu());
  EXPECT_LT(error, 2e-2);
  std::cout << "prefill " << GetParam() << ": kernels vs library last-row logits relative L2 error "
            << error << std::endl;
}

INSTANTIATE_TEST_SUITE_P(EveryCase, StaticPrefillCpu, testing::ValuesIn(test::kGpuCases));
INSTANTIATE_TEST_SUITE_P(EveryCase, StaticPrefillGpu, testing::ValuesIn(test::kGpuCases));

}  // namespace
}  // namespace seer::models
