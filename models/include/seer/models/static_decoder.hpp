#pragma once

// BAGEL's language model on a fast path: QKV and gate/up projections fused at load (optionally
// quantised), a cache preallocated to a fixed capacity for a fixed number of sequence slots, and
// each decoding step run on fixed-shape device tensors (the tokens, cache rows and RoPE
// positions of the slots decoding together), so a CUDA graph captured once per batch size
// replays every step; the host reads only the chosen tokens. On a GPU the step runs on seer's
// own kernels (kernels/), five per layer: one pass over each weight matrix, the products
// normalising their own input (each norm's weight folded into its matrix at load) and applying
// the MLP's gate, and one attention kernel from the QKV rows (q/k norm, RoPE, the cache write,
// split attention and its combination). Prefill is eager: the library's products and attention,
// and on a GPU seer's kernels for the norms, the gate and the queries' and keys' norm + RoPE +
// cache write; several segments (the images, the prompt) take one pass over the weights together.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "seer/models/bagel_engine.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/language_model.hpp"
#include "seer/models/quantization.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/vision_tower.hpp"

namespace seer::models {

// Told why the quantised weights' cache could not be read or written (the load goes on).
using CacheWarning = std::function<void(const std::string& message)>;

// Sequences one StaticDecoder can hold (the step kernels take at most eight rows).
inline constexpr std::int64_t kMaxStaticSlots = 8;

struct StaticDecoderOptions {
  std::int64_t capacity = 4096;  // cache rows per slot: images, the prompt and every step
  std::int64_t slots = 1;        // sequences that can decode together (at most 8)
  bool cuda_graph = true;        // capture the step (CUDA devices only)
  bool fuse_projections = true;  // one QKV and one gate/up matrix per layer
  bool own_kernels = true;       // seer's CUDA kernels for the step where built and on a GPU
  Quantization quantization = Quantization::none;
  // Where the quantised weights are kept between runs: read when it matches the checkpoint and
  // the choice above, else written after quantising. Empty: quantise at every load.
  std::filesystem::path quantized_cache;
  CacheWarning on_cache_warning;  // unset: silent
};

// One slot's decoding in a batch: the primer at `rope_position`, greedy until `end_id` or
// `max_new_tokens`.
struct DecodeRequest {
  std::int64_t primer_id = kImStartId;
  std::int64_t rope_position = 0;
  std::int64_t max_new_tokens = 0;
  std::int64_t end_id = kImEndId;
};

struct StaticDecodeResult {
  std::vector<std::int64_t> tokens;  // generated, without the primer and end_id
  at::Tensor first_logits;           // [vocab] float32 of the primer's step
};

struct FusedLanguageWeights;

class StaticDecoder {
 public:
  // Loads `language_model.*` from `checkpoint` as LanguageModel does, fused per `options`.
  StaticDecoder(LanguageConfig config, const SafetensorsFile& checkpoint, at::ScalarType dtype,
                at::Device device, StaticDecoderOptions options = {});
  StaticDecoder(StaticDecoder&&) noexcept;
  StaticDecoder& operator=(StaticDecoder&&) noexcept;
  ~StaticDecoder();

  const LanguageConfig& config() const { return config_; }
  at::ScalarType dtype() const { return dtype_; }
  at::Device device() const { return device_; }
  Quantization quantization() const { return options_.quantization; }
  std::int64_t length(std::int64_t slot = 0) const { return lengths_.at(slot); }
  std::int64_t capacity() const { return options_.capacity; }
  std::int64_t slots() const { return options_.slots; }
  // Whether steps run on seer's CUDA kernels (built, on a GPU, and not switched off).
  bool uses_own_kernels() const;
  // Bytes of the weights one decoding step reads (every layer, lm_head, the final norm).
  std::int64_t weight_bytes_per_step() const;

  // Forgets every slot's cached rows (the buffers and captured graphs stay).
  void clear();
  // Forgets one slot's cached rows.
  void clear(std::int64_t slot);
  // Bytes of every weight it holds (the step's and the embeddings).
  std::int64_t resident_weight_bytes() const;
  // Switches how later steps run (for measuring each part's effect); drops captured graphs.
  void set_step_options(bool cuda_graph, bool fuse_projections, bool own_kernels = true);
  // [n] int64 ids -> [n, hidden_size] embeddings.
  at::Tensor embed(const at::Tensor& ids) const;
  // Appends `segment` to `slot`'s cache in one eager pass; throws std::length_error when full.
  void prefill(const LanguageSegment& segment, std::int64_t slot = 0);
  // Appends `segments` in order in one pass over the weights: their rows go through the
  // projections and the MLP together, and each segment's attention sees the rows before it and
  // its own (all of them when bidirectional, the earlier ones when causal): the cache that
  // prefilling them one by one gives. Throws std::length_error when they do not fit (nothing
  // written) and std::invalid_argument for no segments.
  void prefill_segments(std::span<const LanguageSegment> segments, std::int64_t slot = 0);
  // prefill_segments, then the final norm and lm_head on the last row: its logits [vocab]
  // float32, what a decoding step of that row's token gives (the first token without a step).
  at::Tensor prefill_logits(std::span<const LanguageSegment> segments, std::int64_t slot = 0);
  // `slot`'s cached keys and values of `layer`, [kv_heads, length, head_dim] each (views).
  std::pair<at::Tensor, at::Tensor> cached_rows(std::int64_t layer, std::int64_t slot = 0) const;
  // Copies the first `rows` cached rows of slot `from` to slot `to` (a shared image prefix).
  void copy_prefix(std::int64_t from, std::int64_t to, std::int64_t rows);
  // Greedy decoding in slot 0: the primer at `rope_position`, then each argmax token, until
  // `end_id`, `max_new_tokens` or a full cache.
  StaticDecodeResult decode(std::int64_t primer_id, std::int64_t rope_position,
                            std::int64_t max_new_tokens, std::int64_t end_id = kImEndId);
  // Slots 0..requests.size()-1 decoding together, one step for all per token: each slot's
  // weights read once per step for the whole batch. Finished slots ride along unused.
  std::vector<StaticDecodeResult> decode_batch(std::span<const DecodeRequest> requests);

  // Continuous batching, one step at a time (what BatchedDecoder drives). `start_slot` puts
  // `token` at `slot`'s next cache row and RoPE position `rope_position` for the next step;
  // `step_slots` runs one step over slots 0..batch-1 and counts a row for each slot in `active`
  // (the others ride along, writing only rows past their length, which prefill overwrites).
  // After it, `step_argmax` [batch] (int64, on the device) holds each slot's argmax, which the
  // next step feeds unless `set_next_token` replaces it, and `step_logits` [batch, vocab].
  void start_slot(std::int64_t slot, std::int64_t token, std::int64_t rope_position);
  void step_slots(std::int64_t batch, std::span<const std::int64_t> active);
  at::Tensor step_argmax(std::int64_t batch) const;
  at::Tensor step_logits() const;
  void set_next_token(std::int64_t slot, std::int64_t token);

 private:
  struct StepState;
  // One step of slots 0..batch-1 (a graph replay once the batch size is recorded); its logits.
  at::Tensor run_step(std::int64_t batch, bool use_graph);
  // prefill_segments' pass; the last layer's output rows [rows, hidden_size].
  at::Tensor prefill_rows(std::span<const LanguageSegment> segments, std::int64_t slot);
  void step(std::int64_t batch);
  void library_step(std::int64_t batch);
  void kernel_step(std::int64_t batch);

  LanguageConfig config_;
  at::ScalarType dtype_;
  at::Device device_;
  StaticDecoderOptions options_;
  std::vector<std::int64_t> lengths_;
  std::unique_ptr<const FusedLanguageWeights> weights_;
  std::unique_ptr<StepState> state_;
};

// <|vision_start|>, the image's vision tokens, <|vision_end|>: one bidirectional block at one
// RoPE position; `pixels` [3, H, W] normalised.
LanguageSegment image_segment(const StaticDecoder& decoder, const VisionTower& vision,
                              const at::Tensor& pixels, std::int64_t position);

// Told as each stage of generate_static has been queued on the device: "patches" (pixels to
// patches and position ids on the device) and "vision" (the vision tower) per image, "prefill"
// (the images, the prompt and the reply's primer in one pass, the first token's logits from the
// primer's row), "decode" (the tokens after the first). A benchmark synchronises there to time
// each stage.
using StageMark = std::function<void(std::string_view stage)>;

// BagelEngine::generate's flow (image segments, the wrapped prompt, greedy decoding primed with
// <|im_start|>) on a StaticDecoder, the primer prefilled with the images and the prompt; `images`
// are [3, H, W] normalised pixels. Clears the decoder.
GenerationOutput generate_static(StaticDecoder& decoder, const VisionTower& vision,
                                 const std::vector<at::Tensor>& images,
                                 std::span<const std::int64_t> prompt_ids, std::int64_t max_length,
                                 const StageMark& mark = {});

}  // namespace seer::models
