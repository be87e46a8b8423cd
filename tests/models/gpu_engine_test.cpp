// BagelEngine in bf16 on CUDA against the CPU float32 engine on every bagel-tiny case.
#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <string>

#include "gpu_fixture_case.hpp"
#include "seer/models/bagel_engine.hpp"
#include "seer/models/cuda_runtime.hpp"

namespace seer::models {
namespace {

using test::GpuFixtureCase;

const BagelEngine& cuda_bf16_engine() {
  static const BagelEngine engine =
      BagelEngine::load(test::kFixtureDir, {.float_dtype = at::kBFloat16, .device = at::kCUDA});
  return engine;
}

class GpuEngine : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!cuda::available()) GTEST_SKIP() << "no CUDA device: the GPU comparison is skipped";
  }
};

TEST_P(GpuEngine, Bf16MatchesCpuFloat32) {
  const GpuFixtureCase fixture(GetParam());
  const GenerationOutput cpu =
      test::cpu_float32_engine().generate(fixture.pixel_values, fixture.prompt, fixture.max_length);
  const GenerationOutput gpu =
      cuda_bf16_engine().generate(fixture.pixel_values, fixture.prompt, fixture.max_length);
  test::expect_close_to_cpu("engine " + GetParam(), fixture, gpu, cpu);
}

INSTANTIATE_TEST_SUITE_P(EveryCase, GpuEngine, testing::ValuesIn(test::kGpuCases));

}  // namespace
}  // namespace seer::models
