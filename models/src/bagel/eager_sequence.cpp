// A conversation's sequence on the eager engine: a LanguageModel and its own KvCache, grown
// geometrically as the conversation asks for room.
#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>

#include "engine_image_segment.hpp"
#include "seer/models/decoding_sequence.hpp"

namespace seer::models {
namespace {

class EagerSequence final : public DecodingSequence {
 public:
  EagerSequence(const LanguageModel& language, const VisionTower& vision)
      : language_(language), vision_(vision) {}

  const VisionTower& vision_tower() const override { return vision_; }
  std::int64_t length() const override { return context_ ? context_->cache.length() : 0; }
  std::int64_t max_rows() const override { return std::numeric_limits<std::int64_t>::max(); }

  void reserve(std::int64_t rows, std::int64_t most) override {
    if (!context_) {
      context_.emplace(LanguageContext{.cache = language_.make_cache(rows)});
    } else if (context_->cache.capacity() < rows) {
      // Geometric growth: a long conversation reallocates a few times, never per step.
      context_->cache.reserve(std::max(rows, std::min(most, 2 * context_->cache.capacity())));
    }
    limit_ = rows;
  }

  void feed_image(const at::Tensor& pixels) override {
    LanguageContext& context = reserved();
    last_ = language_.forward(image_segment(language_, vision_, pixels, context.rope_position),
                              context.cache);
    context.rope_position += 1;  // a whole image block advances the counter by one
  }

  void feed_text(std::span<const std::int64_t> ids) override {
    last_ = models::feed_text(language_, reserved(), ids);
  }

  void wait() override {
    if (last_.defined() && !last_.device().is_cpu()) (void)last_.flatten()[0].item<float>();
  }

  DecodeOutcome decode(const DecodeOptions& options) override {
    // The cache may have grown past what the conversation asked for: decoding stops at that.
    LanguageContext& context = reserved();
    DecodeOptions bounded = options;
    bounded.reserved_rows += context.cache.capacity() - limit_;
    return models::decode(language_, context, bounded);
  }

 private:
  LanguageContext& reserved() {
    if (!context_) throw std::logic_error("a sequence is fed after reserve()");
    return *context_;
  }

  const LanguageModel& language_;
  const VisionTower& vision_;
  std::optional<LanguageContext> context_;
  std::int64_t limit_ = 0;
  at::Tensor last_;
};

}  // namespace

std::unique_ptr<DecodingSequence> eager_sequence(const LanguageModel& language,
                                                 const VisionTower& vision) {
  return std::make_unique<EagerSequence>(language, vision);
}

}  // namespace seer::models
