#pragma once

// BAGEL's language model on a fast path for one sequence: QKV and gate/up projections fused at
// load, a cache preallocated to a fixed capacity, and each decoding step run on fixed-shape
// device tensors (the token, the cache row, the RoPE position, a validity mask), so a CUDA graph
// captured once replays every step; the host reads only the chosen token. Prefill is eager.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <vector>

#include "seer/models/bagel_engine.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/language_model.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/vision_tower.hpp"

namespace seer::models {

struct StaticDecoderOptions {
  std::int64_t capacity = 4096;  // cache rows: images, the prompt and every decoding step
  bool cuda_graph = true;        // capture the step (CUDA devices only)
  bool fuse_projections = true;  // one QKV and one gate/up matrix per layer
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
  std::int64_t length() const { return length_; }
  std::int64_t capacity() const { return options_.capacity; }

  // Forgets every cached row (the buffers and a captured graph stay).
  void clear() { length_ = 0; }
  // Switches how later steps run (for measuring each part's effect); drops a captured graph.
  void set_step_options(bool cuda_graph, bool fuse_projections);
  // [n] int64 ids -> [n, hidden_size] embeddings.
  at::Tensor embed(const at::Tensor& ids) const;
  // Appends `segment` to the cache in one eager pass; throws std::length_error when full.
  void prefill(const LanguageSegment& segment);
  // Greedy decoding: the primer at `rope_position`, then each argmax token, until `end_id`,
  // `max_new_tokens` or a full cache.
  StaticDecodeResult decode(std::int64_t primer_id, std::int64_t rope_position,
                            std::int64_t max_new_tokens, std::int64_t end_id = kImEndId);

 private:
  struct StepState;
  void step();

  LanguageConfig config_;
  at::ScalarType dtype_;
  at::Device device_;
  StaticDecoderOptions options_;
  std::int64_t length_ = 0;
  std::unique_ptr<const FusedLanguageWeights> weights_;
  std::unique_ptr<StepState> state_;
};

// BagelEngine::generate's flow (image segments, the wrapped prompt, greedy decoding primed with
// <|im_start|>) on a StaticDecoder; `images` are [3, H, W] normalised pixels. Clears the decoder.
GenerationOutput generate_static(StaticDecoder& decoder, const VisionTower& vision,
                                 const std::vector<at::Tensor>& images,
                                 std::span<const std::int64_t> prompt_ids, std::int64_t max_length);

}  // namespace seer::models
