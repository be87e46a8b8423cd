#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "bagel/language_weights.hpp"
#include "bagel/vision_weights.hpp"
#include "seer/models/checkpoint_layout.hpp"

namespace seer::models {
namespace {

const std::string kLanguagePrefix = "language_model.model.";
const std::string kLayersPrefix = kLanguagePrefix + "layers.";

void require_positive(std::int64_t value, std::string_view name) {
  if (value <= 0) {
    throw std::invalid_argument("bagel_checkpoint_layout: " + std::string(name) +
                                " must be positive, got " + std::to_string(value));
  }
}

void check_sizes(const LanguageConfig& language, const VisionConfig& vision) {
  require_positive(language.hidden_size, "hidden_size");
  require_positive(language.num_layers, "num_hidden_layers");
  require_positive(language.num_heads, "num_attention_heads");
  require_positive(language.num_kv_heads, "num_key_value_heads");
  require_positive(language.head_dim, "head_dim");
  require_positive(language.intermediate_size, "intermediate_size");
  require_positive(language.vocab_size, "vocab_size");
  require_positive(vision.hidden_size, "vision hidden_size");
  require_positive(vision.intermediate_size, "vision intermediate_size");
  require_positive(vision.layers_used(), "vision num_hidden_layers - 1");
  require_positive(vision.patch_size, "vision patch_size");
  require_positive(vision.max_patches_per_side(), "vision image_size / patch_size");
  require_positive(vision.num_channels, "vision num_channels");
}

// time_embedder, vae2llm, llm2vae and latent_pos_embed (spec bagel.md §2.4).
std::vector<CheckpointTensor> generation_head_tensors(const GenerationHeads& heads,
                                                      std::int64_t hidden) {
  require_positive(heads.latent_patch_size, "latent_patch_size");
  require_positive(heads.latent_channels, "latent_channels");
  require_positive(heads.max_latent_size, "max_latent_size");
  require_positive(heads.timestep_frequencies, "timestep_frequencies");
  const std::int64_t latent = heads.latent_patch_size * heads.latent_patch_size *
                              heads.latent_channels;  // one patch of VAE latents
  return {
      {"time_embedder.mlp.0.weight", {hidden, heads.timestep_frequencies}},
      {"time_embedder.mlp.0.bias", {hidden}},
      {"time_embedder.mlp.2.weight", {hidden, hidden}},
      {"time_embedder.mlp.2.bias", {hidden}},
      {"vae2llm.weight", {hidden, latent}},
      {"vae2llm.bias", {hidden}},
      {"llm2vae.weight", {latent, hidden}},
      {"llm2vae.bias", {latent}},
      {"latent_pos_embed.pos_embed", {heads.max_latent_size * heads.max_latent_size, hidden}},
  };
}

}  // namespace

std::optional<std::string> generation_expert_key(const std::string& understanding_key) {
  if (understanding_key == kLanguagePrefix + "norm.weight") {
    return kLanguagePrefix + "norm_moe_gen.weight";
  }
  if (!understanding_key.starts_with(kLayersPrefix)) return std::nullopt;
  // After "layers.N.": "mlp.X.weight" becomes "mlp_moe_gen.X.weight", "module.param" becomes
  // "module_moe_gen.param".
  const std::size_t layer_end = understanding_key.find('.', kLayersPrefix.size());
  if (layer_end == std::string::npos) return std::nullopt;
  const std::string head = understanding_key.substr(0, layer_end + 1);
  const std::string rest = understanding_key.substr(layer_end + 1);
  if (rest.starts_with("mlp.")) return head + "mlp_moe_gen." + rest.substr(4);
  const std::size_t param = rest.rfind('.');
  if (param == std::string::npos) return std::nullopt;
  return head + rest.substr(0, param) + "_moe_gen" + rest.substr(param);
}

std::vector<CheckpointTensor> bagel_checkpoint_layout(const LanguageConfig& language,
                                                      const VisionConfig& vision,
                                                      const CheckpointGlue& glue) {
  check_sizes(language, vision);
  std::vector<CheckpointTensor> layout = language_understanding_tensors(language);
  const std::size_t understanding_count = layout.size();
  for (std::size_t i = 0; i < understanding_count; ++i) {
    // The generation expert copies every understanding weight but the embeddings and lm_head.
    if (std::optional<std::string> key = generation_expert_key(layout[i].key)) {
      layout.push_back({std::move(*key), layout[i].shape});
    }
  }
  const std::vector<CheckpointTensor> vit =
      bagel::vision_understanding_tensors(vision, language.hidden_size);
  layout.insert(layout.end(), vit.begin(), vit.end());
  if (glue.generation_heads) {
    const std::vector<CheckpointTensor> heads =
        generation_head_tensors(*glue.generation_heads, language.hidden_size);
    layout.insert(layout.end(), heads.begin(), heads.end());
  }
  std::sort(layout.begin(), layout.end(),
            [](const CheckpointTensor& a, const CheckpointTensor& b) { return a.key < b.key; });
  return layout;
}

}  // namespace seer::models
