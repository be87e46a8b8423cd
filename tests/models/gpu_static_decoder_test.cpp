// StaticDecoder: exact on the CPU in float32 (eager steps), and in bf16 on CUDA (the captured
// graph) against the CPU float32 engine on every bagel-tiny case.
#include "seer/models/static_decoder.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <string>

#include "gpu_fixture_case.hpp"
#include "seer/models/cuda_runtime.hpp"

namespace seer::models {
namespace {

using test::GpuFixtureCase;

struct StaticModel {
  VisionTower vision;
  StaticDecoder decoder;
};

StaticModel load_static(at::ScalarType dtype, at::Device device) {
  const SafetensorsFile checkpoint(test::kFixtureDir / "ema.safetensors");
  return {VisionTower::load(test::kFixtureDir, {.float_dtype = dtype, .device = device}),
          StaticDecoder(LanguageConfig::from_json_file(test::kFixtureDir / "llm_config.json"),
                        checkpoint, dtype, device, {.capacity = 2048})};
}

class StaticDecoderCpu : public testing::TestWithParam<std::string> {};

TEST_P(StaticDecoderCpu, Float32MatchesTheEngine) {
  static StaticModel model = load_static(at::kFloat, at::kCPU);
  const GpuFixtureCase fixture(GetParam());
  const GenerationOutput ours = generate_static(model.decoder, model.vision, fixture.pixel_values,
                                                fixture.prompt, fixture.max_length);
  const GenerationOutput cpu =
      test::cpu_float32_engine().generate(fixture.pixel_values, fixture.prompt, fixture.max_length);
  EXPECT_EQ(ours.ids, cpu.ids);
  EXPECT_LT(test::relative_error(ours.first_logits, cpu.first_logits), 1e-5);
}

class StaticDecoderGpu : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!cuda::available()) GTEST_SKIP() << "no CUDA device: the GPU comparison is skipped";
  }
};

TEST_P(StaticDecoderGpu, Bf16GraphMatchesCpuFloat32) {
  static StaticModel model = load_static(at::kBFloat16, at::kCUDA);
  const GpuFixtureCase fixture(GetParam());
  const GenerationOutput ours = generate_static(model.decoder, model.vision, fixture.pixel_values,
                                                fixture.prompt, fixture.max_length);
  const GenerationOutput cpu =
      test::cpu_float32_engine().generate(fixture.pixel_values, fixture.prompt, fixture.max_length);
  test::expect_close_to_cpu("static decoder " + GetParam(), fixture, ours, cpu);
}

INSTANTIATE_TEST_SUITE_P(EveryCase, StaticDecoderCpu, testing::ValuesIn(test::kGpuCases));
INSTANTIATE_TEST_SUITE_P(EveryCase, StaticDecoderGpu, testing::ValuesIn(test::kGpuCases));

}  // namespace
}  // namespace seer::models
