#include <ATen/ATen.h>

#include <vector>

#include "seer/models/language_model.hpp"

namespace seer::models {
namespace {

// Runs `ids` as one causal text segment at the context's next RoPE positions.
at::Tensor feed_text(const LanguageModel& model, LanguageContext& context,
                     const std::vector<std::int64_t>& ids) {
  const auto long_options = at::TensorOptions().dtype(at::kLong);
  const auto count = static_cast<std::int64_t>(ids.size());
  const at::Tensor id_tensor = at::tensor(ids, long_options);
  const LanguageSegment segment{
      .embeddings = model.embed(id_tensor),
      .positions = at::arange(context.rope_position, context.rope_position + count, long_options),
      .attention = SegmentAttention::kCausal,
  };
  at::Tensor hidden = model.forward(segment, context.cache);
  context.rope_position += count;
  return hidden;
}

}  // namespace

void prefill_text(const LanguageModel& model, LanguageContext& context,
                  std::span<const std::int64_t> prompt_ids) {
  std::vector<std::int64_t> wrapped{kImStartId};
  wrapped.insert(wrapped.end(), prompt_ids.begin(), prompt_ids.end());
  wrapped.push_back(kImEndId);
  feed_text(model, context, wrapped);
}

std::vector<std::int64_t> greedy_decode(const LanguageModel& model, LanguageContext& context,
                                        const GreedyDecodeOptions& options) {
  std::vector<std::int64_t> sequence;
  std::int64_t current = options.primer_id;
  // As in the official loop, each step emits the token it feeds, the primer first.
  for (std::int64_t step = 0; step < options.max_length; ++step) {
    sequence.push_back(current);
    const at::Tensor hidden = feed_text(model, context, {current});
    const at::Tensor logits = model.logits(hidden)[0];
    if (options.on_step) options.on_step(logits);
    current = logits.argmax().item<std::int64_t>();
    if (current == options.end_id) break;
  }
  return sequence;
}

}  // namespace seer::models
