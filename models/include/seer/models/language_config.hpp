#pragma once

// The shape of BAGEL's Qwen2 language model, read from the checkpoint's llm_config.json.

#include <cstdint>
#include <filesystem>
#include <stdexcept>

namespace seer::models {

// A config file that is missing, malformed or lacks a field; the message names the file.
class LanguageConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LanguageConfig {
  std::int64_t hidden_size = 0;
  std::int64_t num_layers = 0;
  std::int64_t num_heads = 0;
  std::int64_t num_kv_heads = 0;
  std::int64_t head_dim = 0;  // hidden_size / num_heads
  std::int64_t intermediate_size = 0;
  std::int64_t vocab_size = 0;
  std::int64_t max_position_embeddings = 0;
  double rope_theta = 0.0;
  double rms_norm_eps = 0.0;
  // BAGEL's loaders switch QK-norm on in code; llm_config.json never says so.
  bool qk_norm = true;

  // Reads a Qwen2 llm_config.json; throws LanguageConfigError naming the file and field.
  static LanguageConfig from_json_file(const std::filesystem::path& path);
};

}  // namespace seer::models
