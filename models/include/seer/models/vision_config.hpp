#pragma once

// The settings of BAGEL's vision path: SigLIP's `vit_config.json` plus the BAGEL glue
// settings that no file records (the release's class defaults).

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace seer::models {

// A vit_config.json that is missing, malformed or describes an unsupported model.
class VisionConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct VisionConfig {
  std::int64_t hidden_size = 0;
  std::int64_t intermediate_size = 0;
  std::int64_t num_attention_heads = 0;
  std::int64_t num_hidden_layers = 0;  // as the file says; BAGEL runs one fewer
  std::int64_t patch_size = 0;
  std::int64_t image_size = 0;
  std::int64_t num_channels = 3;
  std::string hidden_act = "gelu_pytorch_tanh";     // SigLIP's class default
  double layer_norm_eps = 1e-6;                     // SigLIP's class default
  std::string connector_act = "gelu_pytorch_tanh";  // BagelConfig's default, not in any file

  // BAGEL takes the penultimate block's features (vit_select_layer -2), then post_layernorm.
  std::int64_t layers_used() const { return num_hidden_layers - 1; }
  // Stride of the position ids and side of both position tables (70 for the release).
  std::int64_t max_patches_per_side() const { return image_size / patch_size; }
  std::int64_t position_count() const { return max_patches_per_side() * max_patches_per_side(); }
  // Length of one flattened patch (588 for 14x14 RGB).
  std::int64_t patch_dim() const { return patch_size * patch_size * num_channels; }
  std::int64_t head_dim() const { return hidden_size / num_attention_heads; }
};

// Parses the text of a vit_config.json; throws VisionConfigError naming `source` on failure.
VisionConfig parse_vision_config(const std::string& json_text, const std::string& source);
// Reads and parses `path` (a checkpoint's vit_config.json).
VisionConfig read_vision_config(const std::filesystem::path& path);

}  // namespace seer::models
