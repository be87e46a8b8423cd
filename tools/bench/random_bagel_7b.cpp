#include "random_bagel_7b.hpp"

#include <ATen/ATen.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "seer/models/checkpoint_layout.hpp"
#include "seer/models/cuda_runtime.hpp"
#include "seer/models/safetensors_writer.hpp"

namespace seer::bench {

models::LanguageConfig bagel_7b_language() {
  return {.hidden_size = 3584,
          .num_layers = 28,
          .num_heads = 28,
          .num_kv_heads = 4,
          .head_dim = 128,
          .intermediate_size = 18944,
          .vocab_size = 152064,
          .max_position_embeddings = 32768,
          .rope_theta = 1000000.0,
          .rms_norm_eps = 1e-6,
          .qk_norm = true};
}

models::VisionConfig bagel_7b_vision() {
  return {.hidden_size = 1152,
          .intermediate_size = 4304,
          .num_attention_heads = 16,
          .num_hidden_layers = 27,
          .patch_size = 14,
          .image_size = 980};
}

namespace {

// The release's config files, with the fields the loaders read.
void write_configs(const std::filesystem::path& dir) {
  std::ofstream(dir / "llm_config.json") << R"({"architectures": ["Qwen2ForCausalLM"],
 "model_type": "qwen2", "hidden_size": 3584, "intermediate_size": 18944,
 "num_hidden_layers": 28, "num_attention_heads": 28, "num_key_value_heads": 4,
 "hidden_act": "silu", "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
 "max_position_embeddings": 32768, "vocab_size": 152064, "tie_word_embeddings": false,
 "torch_dtype": "bfloat16"}
)";
  std::ofstream(dir / "vit_config.json") << R"({"model_type": "siglip_vision_model",
 "hidden_size": 1152, "intermediate_size": 4304, "num_hidden_layers": 27,
 "num_attention_heads": 16, "patch_size": 14, "image_size": 980, "num_channels": 3}
)";
}

}  // namespace

void ensure_random_bagel_7b(const std::filesystem::path& dir) {
  const std::filesystem::path weights = dir / "ema.safetensors";
  if (std::filesystem::exists(weights)) return;
  std::filesystem::create_directories(dir);
  write_configs(dir);
  const models::LanguageConfig language = bagel_7b_language();
  const models::VisionConfig vision = bagel_7b_vision();
  std::vector<models::TensorSpec> specs;
  for (const models::CheckpointTensor& tensor :
       models::bagel_checkpoint_layout(language, vision, {.generation_heads = std::nullopt})) {
    if (tensor.key.find("moe_gen") != std::string::npos) continue;
    specs.push_back({tensor.key, at::kBFloat16, tensor.shape});
  }
  const at::Device device = models::cuda::available() ? at::Device(at::kCUDA) : at::kCPU;
  at::manual_seed(0);
  const models::TensorProducer produce = [&](std::size_t i) {
    const std::string& key = specs[i].name;
    at::Tensor values = at::randn(specs[i].shape, at::TensorOptions().device(device)) * 0.02;
    if (key.ends_with("norm.weight") || key.ends_with("layernorm.weight") ||
        key.ends_with("norm1.weight") || key.ends_with("norm2.weight")) {
      values += 1.0;
    }
    return values.to(at::kBFloat16).cpu();
  };
  std::cout << "writing a random BAGEL-7B checkpoint (understanding keys) to " << dir << std::endl;
  // The writer renames a finished file into place, so an interrupted run leaves no weights.
  models::write_safetensors(weights, specs, produce, {{"format", "pt"}});
}

}  // namespace seer::bench
