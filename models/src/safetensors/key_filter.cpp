#include <array>
#include <string_view>

#include "seer/models/safetensors.hpp"

namespace seer::models {

bool is_understanding_key(std::string_view key) {
  // The substrings vLLM filters too; `_moe_gen` also covers `norm_moe_gen`.
  static constexpr std::array<std::string_view, 5> kGenerationOnly = {
      "_moe_gen", "time_embedder", "vae2llm", "llm2vae", "latent_pos_embed"};
  for (const std::string_view marker : kGenerationOnly) {
    if (key.find(marker) != std::string_view::npos) return false;
  }
  return true;
}

}  // namespace seer::models
