#include "seer/models/conversation.hpp"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>
#include <utility>

#include "bagel/engine_image_segment.hpp"
#include "reply_stream.hpp"
#include "seer/models/decoding_sequence.hpp"

namespace seer::models {
namespace {

using Clock = std::chrono::steady_clock;

// Sampling that is the argmax whatever the history: decoders then never read the logits.
bool is_greedy(const SamplingOptions& sampling) {
  return sampling.temperature <= 0.0F && sampling.repeat_penalty == 1.0F;
}

DoneReason done_reason(DecodeStop stop, bool stopped_by_text) {
  switch (stop) {
    case DecodeStop::kEndToken:
      return DoneReason::kStop;
    case DecodeStop::kLength:
    case DecodeStop::kContextFull:
      return DoneReason::kLength;
    case DecodeStop::kStopped:
      return stopped_by_text ? DoneReason::kStop : DoneReason::kCancelled;
    case DecodeStop::kCancelled:
      break;
  }
  return DoneReason::kCancelled;
}

}  // namespace

std::string_view to_string(DoneReason reason) {
  switch (reason) {
    case DoneReason::kStop:
      return "stop";
    case DoneReason::kLength:
      return "length";
    case DoneReason::kCancelled:
      break;
  }
  return "cancelled";
}

Conversation::Conversation(const BagelEngine& engine, const Qwen2Tokenizer& tokenizer,
                           ConversationOptions options)
    : Conversation(eager_sequence(engine.language_model(), engine.vision_tower()), tokenizer,
                   std::move(options)) {}

Conversation::Conversation(std::unique_ptr<DecodingSequence> sequence,
                           const Qwen2Tokenizer& tokenizer, ConversationOptions options)
    : sequence_(std::move(sequence)),
      tokenizer_(&tokenizer),
      options_(std::move(options)),
      context_length_(std::min(options_.context_length, sequence_->max_rows())) {
  if (context_length_ < 2) {
    throw GenerationRequestError("the context length must be at least 2 tokens, got " +
                                 std::to_string(context_length_));
  }
  if (options_.think) add_text(kThinkSystemPrompt);
}

void Conversation::add_text(std::string_view text) {
  if (text.empty()) throw GenerationRequestError("the prompt is empty");
  // Text from users never becomes control tokens: "<|im_end|>" in a prompt stays text.
  const std::vector<TokenId> ids = tokenizer_->encode(text, /*allow_special=*/false);
  std::vector<std::int64_t> wrapped{kImStartId};
  wrapped.insert(wrapped.end(), ids.begin(), ids.end());
  wrapped.push_back(kImEndId);
  if (!pending_.empty() && !pending_.back().pixels.defined()) {
    auto& previous = pending_.back().text_ids;  // consecutive text: one causal segment
    previous.insert(previous.end(), wrapped.begin(), wrapped.end());
  } else {
    pending_.push_back({.text_ids = std::move(wrapped)});
  }
}

void Conversation::add_image(const ImageView& image) {
  add_image_pixels(preprocess_image(image, options_.preprocessing));
}

void Conversation::add_image_pixels(const at::Tensor& pixels) {
  const std::int64_t patch = sequence_->vision_tower().config().patch_size;
  image_segment_length(pixels, patch);  // validates the shape
  if (pixels.size(1) % patch != 0 || pixels.size(2) % patch != 0) {
    throw GenerationRequestError("an image's sides must be multiples of " + std::to_string(patch) +
                                 ", got " + std::to_string(pixels.size(2)) + "x" +
                                 std::to_string(pixels.size(1)));
  }
  pending_.push_back({.pixels = pixels});
}

std::int64_t Conversation::pending_rows() const {
  std::int64_t rows = 0;
  const std::int64_t patch = sequence_->vision_tower().config().patch_size;
  for (const PendingSegment& segment : pending_) {
    rows += segment.pixels.defined() ? image_segment_length(segment.pixels, patch)
                                     : static_cast<std::int64_t>(segment.text_ids.size());
  }
  return rows;
}

std::int64_t Conversation::tokens_used() const { return sequence_->length() + pending_rows(); }

std::int64_t Conversation::prefill_pending() {
  const std::int64_t before = sequence_->length();
  for (const PendingSegment& segment : pending_) {
    if (segment.pixels.defined()) {
      sequence_->feed_image(segment.pixels);
    } else {
      sequence_->feed_text(segment.text_ids);
      history_.insert(
          history_.end(),
          segment.text_ids.begin() + static_cast<std::ptrdiff_t>(segment.ids_in_history),
          segment.text_ids.end());
    }
  }
  pending_.clear();
  sequence_->wait();  // host timers only mean something once queued device work is done
  return sequence_->length() - before;
}

Reply Conversation::reply(const ReplyOptions& options, const ReplyCallback& on_piece,
                          std::stop_token cancel) {
  const bool has_new_input =
      std::any_of(pending_.begin(), pending_.end(), [](const PendingSegment& segment) {
        return segment.pixels.defined() || segment.text_ids.size() > segment.ids_in_history;
      });
  if (!has_new_input) {
    throw GenerationRequestError("nothing to reply to: add a prompt or an image first");
  }
  // The <|im_start|> primer, and room to close the reply: its last token and <|im_end|>.
  const std::int64_t needed = tokens_used() + 3;
  if (needed > context_length_) {
    throw GenerationRequestError("the conversation needs " + std::to_string(needed) +
                                 " tokens, more than its context length of " +
                                 std::to_string(context_length_));
  }
  const std::int64_t budget = options.num_predict < 0 ? context_length_ : options.num_predict;
  sequence_->reserve(std::min(context_length_, needed + budget), context_length_);

  const Clock::time_point start = Clock::now();
  Reply reply;
  reply.prompt_tokens = prefill_pending();
  const Clock::time_point prefilled = Clock::now();

  Sampler sampler(options.sampling);
  history_.push_back(kImStartId);  // the primer, fed first
  const std::size_t history_before = history_.size();
  ReplyStream stream(*tokenizer_, options.stop, options_.think, on_piece);
  DecodeOptions decode_options{
      .max_new_tokens = budget,
      .on_token = [&stream](std::int64_t token) { return stream.push(token); },
      .cancel = cancel,
      .reserved_rows = 2,  // the chosen token still to feed and the closing <|im_end|>
  };
  if (!is_greedy(options.sampling)) {
    decode_options.choose = [&](const at::Tensor& logits) {
      const std::int64_t token = sampler.sample(logits, history_);
      history_.push_back(token);
      return token;
    };
  }
  const DecodeOutcome outcome = sequence_->decode(decode_options);
  stream.finish();
  const Clock::time_point done = Clock::now();

  // Greedy decoding chose without the history: it learns the reply now.
  if (history_.size() == history_before) {
    history_.insert(history_.end(), outcome.tokens.begin(), outcome.tokens.end());
  } else if (outcome.stop == DecodeStop::kEndToken) {
    history_.pop_back();  // the chosen <|im_end|>, pushed again below
  }
  // What was chosen but never fed, then <|im_end|>, close this reply before the next turn.
  std::vector<std::int64_t> closing = outcome.unfed;
  closing.push_back(kImEndId);
  history_.push_back(kImEndId);
  pending_.push_back({.text_ids = closing, .ids_in_history = closing.size()});

  reply.text = stream.answer();
  reply.thinking = stream.thinking();
  reply.token_ids = outcome.tokens;
  reply.done_reason = done_reason(outcome.stop, stream.stopped_by_text());
  reply.eval_tokens = static_cast<std::int64_t>(outcome.tokens.size());
  reply.prompt_eval_duration = prefilled - start;
  reply.eval_duration = done - prefilled;
  reply.total_duration = done - start;
  return reply;
}

}  // namespace seer::models
