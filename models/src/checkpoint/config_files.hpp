#pragma once

// The release's llm_config.json and vit_config.json written from our configs, with the fields
// and names the official files use, so LanguageConfig / read_vision_config read them back.

#include <c10/core/ScalarType.h>

#include <filesystem>

#include "seer/models/language_config.hpp"
#include "seer/models/vision_config.hpp"

namespace seer::models::checkpoint {

// Throws std::invalid_argument for a config the Qwen2 fields cannot express.
void write_llm_config(const std::filesystem::path& path, const LanguageConfig& config,
                      at::ScalarType dtype);
// Omits hidden_act and layer_norm_eps when they are SigLIP's defaults, as the release does.
void write_vit_config(const std::filesystem::path& path, const VisionConfig& config);

}  // namespace seer::models::checkpoint
