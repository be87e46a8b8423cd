#include <ATen/ATen.h>

#include <vector>

#include "seer/models/language_model.hpp"

namespace seer::models {

at::Tensor feed_text(const LanguageModel& model, LanguageContext& context,
                     std::span<const std::int64_t> ids) {
  const auto long_options = at::TensorOptions().dtype(at::kLong);
  const auto count = static_cast<std::int64_t>(ids.size());
  const at::Tensor id_tensor =
      at::tensor(at::ArrayRef<std::int64_t>(ids.data(), ids.size()), long_options);
  const LanguageSegment segment{
      .embeddings = model.embed(id_tensor),
      .positions = at::arange(context.rope_position, context.rope_position + count, long_options),
      .attention = SegmentAttention::kCausal,
  };
  at::Tensor hidden = model.forward(segment, context.cache);
  context.rope_position += count;
  return hidden;
}

void prefill_text(const LanguageModel& model, LanguageContext& context,
                  std::span<const std::int64_t> prompt_ids) {
  std::vector<std::int64_t> wrapped{kImStartId};
  wrapped.insert(wrapped.end(), prompt_ids.begin(), prompt_ids.end());
  wrapped.push_back(kImEndId);
  feed_text(model, context, wrapped);
}

DecodeOutcome decode(const LanguageModel& model, LanguageContext& context,
                     const DecodeOptions& options) {
  DecodeOutcome outcome;
  std::int64_t current = options.primer_id;
  for (;;) {
    if (options.cancel.stop_requested()) {
      outcome.stop = DecodeStop::kCancelled;
      break;
    }
    if (static_cast<std::int64_t>(outcome.tokens.size()) >= options.max_new_tokens) {
      outcome.stop = DecodeStop::kLength;
      break;
    }
    if (context.cache.length() + 1 + options.reserved_rows > context.cache.capacity()) {
      outcome.stop = DecodeStop::kContextFull;
      break;
    }
    const at::Tensor logits =
        model.logits(feed_text(model, context, std::span<const std::int64_t>(&current, 1)))[0];
    const std::int64_t next =
        options.choose ? options.choose(logits) : logits.argmax().item<std::int64_t>();
    if (next == options.end_id) {
      outcome.stop = DecodeStop::kEndToken;
      return outcome;
    }
    outcome.tokens.push_back(next);
    current = next;
    if (options.on_token && !options.on_token(next)) {
      outcome.stop = DecodeStop::kStopped;
      break;
    }
  }
  outcome.unfed.push_back(current);
  return outcome;
}

}  // namespace seer::models
