// BagelEngine::generate's order of segments (spec bagel.md §7.1, §8.1) fed to a StaticDecoder.
#include <ATen/ATen.h>

#include <string>
#include <string_view>
#include <vector>

#include "seer/models/image_preprocessing.hpp"
#include "seer/models/static_decoder.hpp"

namespace seer::models {

namespace {

void mark_stage(const StageMark& mark, std::string_view stage) {
  if (mark) mark(stage);
}

// The image block of `pixels` [3, H, W]; `mark` told after the patches and the vision tower.
LanguageSegment image_segment_marked(const StaticDecoder& decoder, const VisionTower& vision,
                                     const at::Tensor& pixels, std::int64_t position,
                                     const StageMark& mark) {
  const VisionConfig& config = vision.config();
  if (pixels.dim() != 3 || pixels.size(0) != 3) {
    throw GenerationRequestError("an image must be a [3, H, W] tensor, got " +
                                 std::to_string(pixels.dim()) + " dimensions");
  }
  const auto patch = static_cast<int>(config.patch_size);
  const auto on_device = at::TensorOptions().device(decoder.device());
  // The float pixels copied as they are, then rearranged and converted on the device (the host
  // would make a strided copy and a conversion of its own first).
  const at::Tensor patches =
      patchify(pixels.to(on_device.dtype(at::kFloat)), patch).to(decoder.dtype());
  const at::Tensor position_ids = vit_position_ids(pixels.size(1), pixels.size(2), patch,
                                                   static_cast<int>(config.max_patches_per_side()))
                                      .to(on_device);
  mark_stage(mark, "patches");
  const at::Tensor vision_tokens = vision.encode_image(patches, position_ids).to(decoder.dtype());
  mark_stage(mark, "vision");
  const at::Tensor markers =
      decoder.embed(at::tensor(std::vector<std::int64_t>{kVisionStartId, kVisionEndId}, at::kLong));
  const at::Tensor embeddings =
      at::cat({markers.narrow(0, 0, 1), vision_tokens, markers.narrow(0, 1, 1)});
  return {
      .embeddings = embeddings,
      .positions = at::full({embeddings.size(0)}, position, on_device.dtype(at::kLong)),
      .attention = SegmentAttention::kBidirectional,
  };
}

}  // namespace

LanguageSegment image_segment(const StaticDecoder& decoder, const VisionTower& vision,
                              const at::Tensor& pixels, std::int64_t position) {
  return image_segment_marked(decoder, vision, pixels, position, {});
}

GenerationOutput generate_static(StaticDecoder& decoder, const VisionTower& vision,
                                 const std::vector<at::Tensor>& images,
                                 std::span<const std::int64_t> prompt_ids, std::int64_t max_length,
                                 const StageMark& mark) {
  if (prompt_ids.empty()) {
    throw GenerationRequestError("generate_static: the prompt has no token ids");
  }
  if (max_length < 1) {
    throw GenerationRequestError("generate_static: max_length must be at least 1");
  }
  decoder.clear();
  std::vector<LanguageSegment> segments;
  std::int64_t rope_position = 0;
  for (const at::Tensor& pixels : images) {
    segments.push_back(image_segment_marked(decoder, vision, pixels, rope_position, mark));
    rope_position += 1;  // a whole image block advances the counter by one
  }
  // The wrapped prompt, then the reply's primer <|im_start|>: its row's logits give the first
  // token, so the images, the prompt and the primer take one pass over the weights.
  std::vector<std::int64_t> wrapped{kImStartId};
  wrapped.insert(wrapped.end(), prompt_ids.begin(), prompt_ids.end());
  wrapped.push_back(kImEndId);
  const auto count = static_cast<std::int64_t>(wrapped.size());
  wrapped.push_back(kImStartId);
  const auto long_options = at::TensorOptions().dtype(at::kLong);
  segments.push_back({
      .embeddings = decoder.embed(at::tensor(wrapped, long_options)),
      .positions = at::arange(rope_position, rope_position + count + 1, long_options),
      .attention = SegmentAttention::kCausal,
  });
  at::Tensor first_logits = decoder.prefill_logits(segments);
  mark_stage(mark, "prefill");
  rope_position += count;

  GenerationOutput output{.ids = {kImStartId},
                          .kv_len_after_prefill = decoder.length() - 1,
                          .rope_after_prefill = rope_position,
                          .first_logits = std::move(first_logits)};
  if (max_length > 1) {
    const std::int64_t first = output.first_logits.argmax().item<std::int64_t>();
    if (first != kImEndId) {
      output.ids.push_back(first);
      if (max_length > 2) {  // the first token is the next step's input, after the primer
        const StaticDecodeResult decoded = decoder.decode(first, rope_position + 1, max_length - 2);
        output.ids.insert(output.ids.end(), decoded.tokens.begin(), decoded.tokens.end());
      }
    }
  }
  mark_stage(mark, "decode");
  return output;
}

}  // namespace seer::models
