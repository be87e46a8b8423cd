#pragma once

// BAGEL's image understanding end to end: image segments and the wrapped prompt prefilled in
// the official order (spec bagel.md §7.1, §8.1), then greedy decoding primed with <|im_start|>.

#include <ATen/core/Tensor.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <vector>

#include "seer/models/image_preprocessing.hpp"
#include "seer/models/language_model.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/vision_tower.hpp"

namespace seer::models {

inline constexpr std::int64_t kVisionStartId = 151652;
inline constexpr std::int64_t kVisionEndId = 151653;

// A request the engine refuses (empty prompt, max_length < 1, malformed image tensor).
class GenerationRequestError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct GenerationOutput {
  // The primer <|im_start|> first, then the generated ids, <|im_end|> excluded.
  std::vector<std::int64_t> ids;
  std::int64_t kv_len_after_prefill = 0;  // cache rows after the images and the prompt
  std::int64_t rope_after_prefill = 0;    // the RoPE position the primer gets
  at::Tensor first_logits;                // [vocab] float32, the primer's forward pass
};

class BagelEngine {
 public:
  // Reads llm_config.json, vit_config.json and the understanding keys of ema.safetensors from
  // `model_dir`; `options.float_dtype` (float32 when unset) and `options.device` apply to both,
  // `options.progress` hears of the language model's tensors (nearly all the bytes).
  static BagelEngine load(const std::filesystem::path& model_dir, const LoadOptions& options = {});

  const LanguageModel& language_model() const { return language_; }
  const VisionTower& vision_tower() const { return vision_; }
  // How long load() took (Ollama's load_duration).
  std::chrono::nanoseconds load_duration() const { return load_duration_; }

  // `images`: [3, H, W] normalised pixels (H, W multiples of the patch size), each prefilled
  // as its own segment in order, before the prompt. `max_length` counts the primer.
  GenerationOutput generate(const std::vector<at::Tensor>& images,
                            std::span<const std::int64_t> prompt_ids,
                            std::int64_t max_length) const;
  // Raw pixels, preprocessed with `preprocessing` (the official chat() path by default).
  GenerationOutput generate(
      const std::vector<ImageView>& images, std::span<const std::int64_t> prompt_ids,
      std::int64_t max_length,
      const ImagePreprocessing& preprocessing = ImagePreprocessing::chat()) const;

 private:
  BagelEngine(LanguageModel language, VisionTower vision);

  LanguageModel language_;
  VisionTower vision_;
  std::chrono::nanoseconds load_duration_{0};
};

}  // namespace seer::models
