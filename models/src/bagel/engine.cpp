#include <ATen/ATen.h>

#include <chrono>
#include <string>
#include <utility>

#include "engine_image_segment.hpp"
#include "seer/models/bagel_engine.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models {

BagelEngine::BagelEngine(LanguageModel language, VisionTower vision)
    : language_(std::move(language)), vision_(std::move(vision)) {}

BagelEngine BagelEngine::load(const std::filesystem::path& model_dir, const LoadOptions& options) {
  // One dtype for both halves, so image embeddings enter the LLM without a silent cast.
  LoadOptions resolved = options;
  resolved.float_dtype = options.float_dtype.value_or(at::kFloat);
  const SafetensorsFile checkpoint(model_dir / "ema.safetensors");
  const auto start = std::chrono::steady_clock::now();
  LanguageModel language(LanguageConfig::from_json_file(model_dir / "llm_config.json"), checkpoint,
                         *resolved.float_dtype, resolved.device, options.progress);
  VisionTower vision(checkpoint, read_vision_config(model_dir / "vit_config.json"), resolved);
  BagelEngine engine(std::move(language), std::move(vision));
  engine.load_duration_ = std::chrono::steady_clock::now() - start;
  return engine;
}

GenerationOutput BagelEngine::generate(const std::vector<at::Tensor>& images,
                                       std::span<const std::int64_t> prompt_ids,
                                       std::int64_t max_length) const {
  if (prompt_ids.empty()) {
    throw GenerationRequestError("BagelEngine::generate: the prompt has no token ids");
  }
  if (max_length < 1) {
    throw GenerationRequestError("BagelEngine::generate: max_length must be at least 1, got " +
                                 std::to_string(max_length));
  }
  // Sized up front: every image block, the wrapped prompt and every decoding step.
  std::int64_t capacity = static_cast<std::int64_t>(prompt_ids.size()) + 2 + max_length;
  for (const at::Tensor& pixels : images) {
    capacity += image_segment_length(pixels, vision_.config().patch_size);
  }

  LanguageContext context{.cache = language_.make_cache(capacity)};
  for (const at::Tensor& pixels : images) {
    language_.forward(image_segment(language_, vision_, pixels, context.rope_position),
                      context.cache);
    context.rope_position += 1;  // a whole image block advances the counter by one
  }
  prefill_text(language_, context, prompt_ids);

  GenerationOutput output{.ids = {kImStartId},
                          .kv_len_after_prefill = context.cache.length(),
                          .rope_after_prefill = context.rope_position};
  const DecodeOptions decode_options{
      .max_new_tokens = max_length - 1,
      .choose =
          [&output](const at::Tensor& logits) {
            if (!output.first_logits.defined()) output.first_logits = logits.clone();
            return logits.argmax().item<std::int64_t>();
          },
  };
  const DecodeOutcome outcome = decode(language_, context, decode_options);
  output.ids.insert(output.ids.end(), outcome.tokens.begin(), outcome.tokens.end());
  return output;
}

GenerationOutput BagelEngine::generate(const std::vector<ImageView>& images,
                                       std::span<const std::int64_t> prompt_ids,
                                       std::int64_t max_length,
                                       const ImagePreprocessing& preprocessing) const {
  std::vector<at::Tensor> pixels;
  pixels.reserve(images.size());
  for (const ImageView& image : images) pixels.push_back(preprocess_image(image, preprocessing));
  return generate(pixels, prompt_ids, max_length);
}

}  // namespace seer::models
