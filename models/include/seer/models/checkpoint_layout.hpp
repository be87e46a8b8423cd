#pragma once

// Every tensor of a BAGEL-7B-MoT release checkpoint (ema.safetensors) for any sizes: the
// understanding keys the engine loads and the generation keys it leaves in the file
// (spec bagel.md §2).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seer/models/language_config.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models {

// One key of a checkpoint with the shape it must have.
struct CheckpointTensor {
  std::string key;
  std::vector<std::int64_t> shape;
};

// Sizes of the image-generation heads that no config file records (BagelConfig and the VAE's);
// the defaults are the release's.
struct GenerationHeads {
  std::int64_t latent_patch_size = 2;
  std::int64_t latent_channels = 16;        // the VAE's z_channels
  std::int64_t max_latent_size = 64;        // side of latent_pos_embed's grid
  std::int64_t timestep_frequencies = 256;  // width of time_embedder's sinusoidal input
};

// What the layout needs beyond llm_config.json and vit_config.json.
struct CheckpointGlue {
  // nullopt: no `time_embedder`, `vae2llm`, `llm2vae`, `latent_pos_embed` (as in bagel-tiny).
  std::optional<GenerationHeads> generation_heads = GenerationHeads{};
};

// Every key with its shape, sorted by key: the language model's understanding expert and its
// generation copy (`*_moe_gen*`, `norm_moe_gen`), the vision tower's used layers, the connector,
// vit_pos_embed and, when `glue` has them, the generation heads. Throws std::invalid_argument
// when a size is not positive.
std::vector<CheckpointTensor> bagel_checkpoint_layout(const LanguageConfig& language,
                                                      const VisionConfig& vision,
                                                      const CheckpointGlue& glue = {});

// The generation expert's copy of an understanding-expert language key
// (`...layers.3.mlp.up_proj.weight` -> `...layers.3.mlp_moe_gen.up_proj.weight`), or nullopt for
// a key that has none (embed_tokens, lm_head, anything outside the language model).
std::optional<std::string> generation_expert_key(const std::string& understanding_key);

}  // namespace seer::models
