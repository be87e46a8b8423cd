#pragma once
// One bagel-tiny case as the GPU tests run it, and the CPU float32 engine they compare with.

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "fixture_support.hpp"
#include "seer/models/bagel_engine.hpp"
#include "seer/models/safetensors.hpp"

namespace seer::models::test {

inline const std::vector<std::string> kGpuCases{"image_chat", "two_images", "image_demo_tf",
                                                "wide_image", "text_only"};

struct GpuFixtureCase {
  SafetensorsFile tensors;
  std::vector<at::Tensor> pixel_values;
  std::vector<std::int64_t> prompt;
  std::int64_t max_length;

  explicit GpuFixtureCase(const std::string& name)
      : tensors(kFixtureDir / ("case_" + name + ".safetensors")) {
    const boost::json::object meta = read_json_object(kFixtureDir / ("case_" + name + ".json"));
    for (std::size_t i = 0; i < meta.at("images").as_array().size(); ++i) {
      pixel_values.push_back(tensors.load("pixel_values_" + std::to_string(i)));
    }
    prompt = to_ids(tensors.load("prompt_ids"));
    max_length = meta.at("max_length").to_number<std::int64_t>();
  }
};

inline const BagelEngine& cpu_float32_engine() {
  static const BagelEngine engine = BagelEngine::load(kFixtureDir, {.float_dtype = at::kFloat});
  return engine;
}

// bf16's spacing at `value`: 7 stored mantissa bits.
inline double bf16_spacing(double value) {
  return std::ldexp(1.0, static_cast<int>(std::floor(std::log2(std::abs(value)))) - 7);
}

// The acceptance bar for a bf16 run: the first 8 greedy ids (or all, when fewer) equal the CPU
// float32 ones, and the primer's logits within 2e-2 relative L2 error. One exception: at a step
// where the float32 reference's top two logits lie closer than bf16 can tell apart (its
// step_top5_values), picking the runner-up is a tie, not an error; the ids are compared up to
// that step, and the tie is printed.
inline void expect_close_to_cpu(const std::string& name, const GpuFixtureCase& fixture,
                                const GenerationOutput& ours, const GenerationOutput& cpu) {
  const std::size_t checked = std::min<std::size_t>(8, cpu.ids.size());
  ASSERT_GE(ours.ids.size(), checked);
  const at::Tensor top_values = fixture.tensors.load("step_top5_values");
  const std::vector<std::int64_t> top_ids = to_ids(fixture.tensors.load("step_top5_ids"));
  std::size_t same = 0;
  while (same < std::min(ours.ids.size(), cpu.ids.size()) && ours.ids[same] == cpu.ids[same]) {
    ++same;
  }
  if (same < checked) {
    // ids[0] is the primer, so id i was chosen at decoding step i - 1.
    const auto step = static_cast<std::int64_t>(same) - 1;
    const double best = top_values[step][0].item<double>();
    const double margin = best - top_values[step][1].item<double>();
    const bool runner_up = ours.ids[same] == top_ids[static_cast<std::size_t>(step * 5 + 1)];
    EXPECT_TRUE(runner_up && margin < bf16_spacing(best))
        << name << ": id " << same << " differs (" << ours.ids[same] << " vs " << cpu.ids[same]
        << ") where the reference's top-2 margin is " << margin;
    std::cout << name << ": a bf16 tie at id " << same << " (reference margin " << margin
              << " < bf16 spacing " << bf16_spacing(best) << "), ids equal before it" << std::endl;
  }
  EXPECT_EQ(ours.kv_len_after_prefill, cpu.kv_len_after_prefill);
  EXPECT_EQ(ours.rope_after_prefill, cpu.rope_after_prefill);
  ASSERT_TRUE(ours.first_logits.defined());
  const double error = relative_error(ours.first_logits.cpu(), cpu.first_logits);
  EXPECT_LT(error, 2e-2);
  std::cout << name << ": first_logits relative L2 error " << error << ", " << same << " of "
            << cpu.ids.size() << " ids equal" << std::endl;
}

}  // namespace seer::models::test
