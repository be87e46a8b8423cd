#pragma once

// BAGEL loaded for conversations on the decoder chosen: the eager engine (BagelEngine, one
// request at a time) or the fast one (the VisionTower and a StaticDecoder behind a
// BatchedDecoder: fused, optionally quantised weights, CUDA graphs on a GPU, concurrent
// requests decoding together). Only what the chosen decoder runs is loaded.

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "seer/models/decoding_sequence.hpp"
#include "seer/models/quantization.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/static_decoder.hpp"

namespace seer::models {

enum class DecoderChoice { automatic, eager, fast };
// "auto", "eager" or "static"; throws std::invalid_argument naming the choices.
DecoderChoice parse_decoder_choice(std::string_view name);

struct BagelRuntimeOptions {
  LoadOptions load;  // dtype (float32 when unset), device, progress (eager only)
  // auto: the static decoder on a GPU or when quantising, the eager engine otherwise.
  DecoderChoice decoder = DecoderChoice::automatic;
  Quantization quantization = Quantization::none;  // needs the static decoder
  std::filesystem::path quantized_cache;           // StaticDecoderOptions::quantized_cache
  CacheWarning on_cache_warning;                   // the cache could not be read or written
  std::int64_t batch = 0;              // static slots (1..8); 0: 4 on a GPU, 1 on the CPU
  std::int64_t context_length = 8192;  // static: rows each slot holds
};

class BatchedDecoder;
class BagelEngine;

class BagelRuntime {
 public:
  // Throws std::invalid_argument for a quantisation with the eager decoder or a batch out of
  // 1..8, SafetensorsError for a broken checkpoint.
  static std::unique_ptr<BagelRuntime> load(const std::filesystem::path& model_dir,
                                            const BagelRuntimeOptions& options);
  ~BagelRuntime();
  BagelRuntime(const BagelRuntime&) = delete;
  BagelRuntime& operator=(const BagelRuntime&) = delete;

  // A fresh sequence for one conversation; on the static decoder it holds a slot, waiting for
  // one while all are taken (throws std::runtime_error when `cancel` is requested meanwhile).
  std::unique_ptr<DecodingSequence> open(std::stop_token cancel = {}) const;

  bool uses_static_decoder() const { return batched_ != nullptr; }
  // Sequences that decode together (1 on the eager engine).
  std::int64_t batch() const;
  Quantization quantization() const { return quantization_; }
  at::ScalarType dtype() const { return dtype_; }
  at::Device device() const { return device_; }
  // Elements of the checkpoint's understanding tensors (Ollama's parameter count).
  std::int64_t parameters() const { return parameters_; }
  // Bytes of the weights held (vision tower and language model as stored).
  std::int64_t weight_bytes() const { return weight_bytes_; }
  // Ollama's quantization_level: "F32", "BF16", "F16", or "INT8", "INT4", "NF4".
  std::string quantization_level() const;
  std::chrono::nanoseconds load_duration() const { return load_duration_; }

 private:
  BagelRuntime() = default;

  std::unique_ptr<BagelEngine> engine_;      // the eager decoder
  std::unique_ptr<VisionTower> vision_;      // the static decoder's vision tower
  std::unique_ptr<BatchedDecoder> batched_;  // the static decoder
  Quantization quantization_ = Quantization::none;
  at::ScalarType dtype_ = at::kFloat;
  at::Device device_ = at::kCPU;
  std::int64_t parameters_ = 0;
  std::int64_t weight_bytes_ = 0;
  std::chrono::nanoseconds load_duration_{0};
};

}  // namespace seer::models
