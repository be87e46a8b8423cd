#pragma once

// The benchmark's model: BAGEL-7B-MoT's shapes (Qwen2-7B language model, SigLIP-so400m vision
// tower) with random bf16 weights, written once to a local directory.

#include <filesystem>

#include "seer/models/language_config.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::bench {

models::LanguageConfig bagel_7b_language();
models::VisionConfig bagel_7b_vision();

// Writes llm_config.json, vit_config.json and an ema.safetensors holding only the keys the
// understanding path reads (the generation expert would double the bytes and is never read),
// unless `dir` already has them. Random values come from the GPU when there is one.
void ensure_random_bagel_7b(const std::filesystem::path& dir);

}  // namespace seer::bench
