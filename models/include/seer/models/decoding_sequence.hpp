#pragma once

// One sequence's cached rows on one of BAGEL's two decoders, and decoding on them: what a
// Conversation runs on. The eager sequence is a LanguageModel with its own growing KvCache;
// the static one is a slot of a BatchedDecoder (a StaticDecoder shared by concurrent requests).
// Both feed the same segments and decode with DecodeOptions' semantics, so a conversation
// behaves the same on either.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <span>

#include "seer/models/language_model.hpp"
#include "seer/models/vision_tower.hpp"

namespace seer::models {

class DecodingSequence {
 public:
  virtual ~DecodingSequence() = default;

  virtual const VisionTower& vision_tower() const = 0;
  // Rows in the cache.
  virtual std::int64_t length() const = 0;
  // The most rows the sequence can ever hold.
  virtual std::int64_t max_rows() const = 0;
  // Room for `rows` (at most max_rows()); decoding stops at it (DecodeStop::kContextFull). A
  // growing cache grows geometrically, never past `most`.
  virtual void reserve(std::int64_t rows, std::int64_t most) = 0;
  // Appends an image block ([3, H, W] normalised pixels) at the next RoPE position, which then
  // advances by one.
  virtual void feed_image(const at::Tensor& pixels) = 0;
  // Appends `ids` as one causal text segment at the next RoPE positions.
  virtual void feed_text(std::span<const std::int64_t> ids) = 0;
  // Returns once the work queued on the device is done (for timings).
  virtual void wait() = 0;
  // Feeds options.primer_id, then each chosen token, as models::decode does.
  virtual DecodeOutcome decode(const DecodeOptions& options) = 0;
};

// A sequence on the eager engine; `language` and `vision` must outlive it.
std::unique_ptr<DecodingSequence> eager_sequence(const LanguageModel& language,
                                                 const VisionTower& vision);

}  // namespace seer::models
