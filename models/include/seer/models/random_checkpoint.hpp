#pragma once

// A BAGEL checkpoint directory with the release's file names, config fields and key layout but
// random weights of any size: for tests and benchmarks of shapes no released model has.

#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>

#include "seer/models/checkpoint_layout.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models {

// Writes `dir`/llm_config.json, `dir`/vit_config.json (the release's field names) and
// `dir`/ema.safetensors holding every key of bagel_checkpoint_layout() as `dtype` (a floating
// type): norm weights near 1, everything else small, so that generation stays finite. The same
// seed gives the same weights. Creates `dir` when missing. Throws std::invalid_argument for
// sizes a config file cannot express (head_dim * num_heads != hidden_size, num_heads not a
// multiple of num_kv_heads, a connector_act other than the default), VisionConfigError for a
// vision config the engine would refuse, SafetensorsError or std::system_error naming the file
// when writing fails. The engine's special token ids (up to 151653) need vocab_size above them.
void write_random_bagel_checkpoint(const std::filesystem::path& dir, const LanguageConfig& language,
                                   const VisionConfig& vision, at::ScalarType dtype = at::kBFloat16,
                                   std::uint64_t seed = 0, const CheckpointGlue& glue = {});

}  // namespace seer::models
