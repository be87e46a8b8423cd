#pragma once

// A conversation with BAGEL in the official prompt format: every text piece is wrapped as
// <|im_start|> … <|im_end|>, images are their own segments, and a reply is primed with
// <|im_start|>. Pieces are queued and prefilled when the next reply is asked for; the KV cache
// is kept between turns, so a follow-up costs only its own tokens. It runs on either decoder
// (DecodingSequence: the eager engine, or a slot of a BatchedDecoder) with the same replies.
// One thread at a time.

#include <ATen/core/Tensor.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "seer/models/bagel_engine.hpp"
#include "seer/models/decoding_sequence.hpp"
#include "seer/models/image_preprocessing.hpp"
#include "seer/models/sampler.hpp"
#include "seer/models/tokenizer.hpp"

namespace seer::models {

// The think-mode system prompt of the official inferencer (spec bagel.md §7.1), verbatim.
inline constexpr std::string_view kThinkSystemPrompt =
    "You should first think about the reasoning process in the mind and then provide the user "
    "with the answer. \nThe reasoning process is enclosed within <think> </think> tags, i.e. "
    "<think> reasoning process here </think> answer here";

struct ConversationOptions {
  // Ollama's num_ctx: cache rows the whole conversation may use (an image takes its patches
  // plus two). The cache grows to it as needed, never per step.
  std::int64_t context_length = 8192;
  // Opens with the think-mode system prompt; replies are split into reasoning and answer.
  bool think = false;
  ImagePreprocessing preprocessing = ImagePreprocessing::chat();
};

// The official decoding: argmax, no penalty.
inline SamplingOptions greedy_sampling() {
  return {.temperature = 0.0F, .top_k = 0, .top_p = 1.0F, .repeat_penalty = 1.0F};
}

struct ReplyOptions {
  SamplingOptions sampling = greedy_sampling();
  std::int64_t num_predict = -1;  // new tokens at most; < 0: until <|im_end|> or a full context
  std::vector<std::string> stop;  // the reply ends before the first of these
};

enum class DoneReason { kStop, kLength, kCancelled };
// Ollama's done_reason words: "stop", "length", "cancelled".
std::string_view to_string(DoneReason reason);

struct Reply {
  std::string text;                     // the answer (think mode: what follows </think>)
  std::string thinking;                 // think mode's reasoning, else empty
  std::vector<std::int64_t> token_ids;  // generated: no <|im_start|> primer, no <|im_end|>
  DoneReason done_reason = DoneReason::kStop;
  std::int64_t prompt_tokens = 0;  // cache rows prefilled for this reply
  std::int64_t eval_tokens = 0;    // tokens generated
  std::chrono::nanoseconds prompt_eval_duration{0};
  std::chrono::nanoseconds eval_duration{0};
  std::chrono::nanoseconds total_duration{0};
};

// A piece of the reply as soon as it is whole UTF-8 and clear of stop strings.
struct ReplyPiece {
  std::string_view text;
  bool thinking = false;  // part of think mode's reasoning
};
// Returning false ends the reply (done reason "cancelled").
using ReplyCallback = std::function<bool(const ReplyPiece& piece)>;

class Conversation {
 public:
  // On the eager engine; `engine` and `tokenizer` must outlive the conversation.
  Conversation(const BagelEngine& engine, const Qwen2Tokenizer& tokenizer,
               ConversationOptions options = {});
  // On `sequence` (e.g. BatchedDecoder::open()); its rows bound the context length.
  Conversation(std::unique_ptr<DecodingSequence> sequence, const Qwen2Tokenizer& tokenizer,
               ConversationOptions options = {});

  // Queues a text piece; special-token text in it stays plain text. Throws
  // GenerationRequestError for empty text.
  void add_text(std::string_view text);
  // Queues an image, preprocessed now with the conversation's settings.
  void add_image(const ImageView& image);
  // Queues an already preprocessed image: [3, H, W] normalised, sides multiples of the patch.
  void add_image_pixels(const at::Tensor& pixels);

  // Prefills what is queued and generates the reply, streaming it to `on_piece`. Throws
  // GenerationRequestError when nothing new is queued or the context would overflow.
  Reply reply(const ReplyOptions& options, const ReplyCallback& on_piece = {},
              std::stop_token cancel = {});

  std::int64_t context_length() const { return context_length_; }
  // Rows in the cache plus rows queued.
  std::int64_t tokens_used() const;

 private:
  struct PendingSegment {
    std::vector<std::int64_t> text_ids;  // a text segment when `pixels` is undefined
    std::size_t ids_in_history = 0;      // leading text_ids the history holds already
    at::Tensor pixels;
  };
  std::int64_t pending_rows() const;
  std::int64_t prefill_pending();

  std::unique_ptr<DecodingSequence> sequence_;
  const Qwen2Tokenizer* tokenizer_;
  ConversationOptions options_;
  std::int64_t context_length_;
  std::vector<PendingSegment> pending_;
  std::vector<std::int64_t> history_;  // text tokens in the cache, for the repeat penalty
};

}  // namespace seer::models
