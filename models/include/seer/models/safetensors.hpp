#pragma once

// Reading safetensors checkpoints (ema.safetensors): a memory-mapped file whose header is
// validated in full on open, tensors handed out as zero-copy views or converted copies.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seer::models {

namespace safetensors {
class MappedFile;
}

// Every failure to read a checkpoint; the message names the file and, where one is
// involved, the tensor's key.
class SafetensorsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One tensor as the header describes it.
struct TensorInfo {
  std::string key;
  at::ScalarType dtype;  // as stored
  std::vector<std::int64_t> shape;
  std::uint64_t offset;  // of its first byte, from the start of the file
  std::uint64_t nbytes;
};

using KeyPredicate = std::function<bool(std::string_view key)>;

// Called after each tensor with the stored bytes read so far and in total.
using LoadProgress = std::function<void(std::uint64_t bytes_done, std::uint64_t bytes_total)>;

// True for the weights that image understanding and text generation use: false for the
// generation expert (`*_moe_gen*`, `norm_moe_gen`) and the image-generation heads
// (`time_embedder`, `vae2llm`, `llm2vae`, `latent_pos_embed`).
bool is_understanding_key(std::string_view key);

// A progress callback drawing a bar on stderr when stderr is a terminal, otherwise a no-op.
LoadProgress terminal_progress_bar(std::string label);

struct LoadOptions {
  // Floating-point tensors are converted to this (float32, bfloat16 or float16); integer and
  // bool tensors keep their type. nullopt keeps every stored type.
  std::optional<at::ScalarType> float_dtype;
  at::Device device = at::kCPU;
  KeyPredicate filter;    // empty: every key
  LoadProgress progress;  // empty: silent
};

// The float dtype a user names ("float32", "bfloat16", "float16"); an empty name picks
// float32 on the CPU and bfloat16 elsewhere. Throws std::invalid_argument for other names.
at::ScalarType float_dtype_named(std::string_view name, const at::Device& device);

class SafetensorsFile {
 public:
  // Maps the file and validates its whole header; throws SafetensorsError before any tensor
  // exists when the file is truncated or the header is malformed.
  explicit SafetensorsFile(std::filesystem::path path);

  const std::filesystem::path& path() const { return path_; }
  std::size_t size() const { return tensors_.size(); }
  std::vector<std::string> keys() const;  // sorted
  bool contains(std::string_view key) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

  // The header entry for `key`; a missing key throws, naming the nearest existing keys.
  const TensorInfo& require(std::string_view key) const;
  // Throws unless `key` exists with exactly `shape`.
  void expect_shape(std::string_view key, at::IntArrayRef shape) const;

  // The stored tensor on the CPU, viewing the mapping (read-only memory: clone before writing
  // to it); copied instead when its bytes are not aligned for its type.
  at::Tensor view(std::string_view key) const;
  // The tensor converted per `options` (its filter and progress are ignored); a view when
  // nothing needs converting.
  at::Tensor load(std::string_view key, const LoadOptions& options = {}) const;
  // Every tensor that passes `options.filter`, converted, reporting progress.
  std::map<std::string, at::Tensor> load_all(const LoadOptions& options = {}) const;

 private:
  const TensorInfo* find(std::string_view key) const;

  std::filesystem::path path_;
  std::shared_ptr<const safetensors::MappedFile> mapping_;
  std::vector<TensorInfo> tensors_;  // sorted by key
  std::map<std::string, std::string> metadata_;
};

}  // namespace seer::models
