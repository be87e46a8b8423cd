#include "seer/models/random_checkpoint.hpp"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <string>
#include <vector>

#include "checkpoint/config_files.hpp"
#include "seer/models/safetensors_writer.hpp"

namespace seer::models {
namespace {

// Small enough that activations stay tame through any number of layers (the usual init scale).
constexpr double kWeightScale = 0.02;

// RMSNorm / LayerNorm scales: `...input_layernorm.weight`, `...q_norm_moe_gen.weight`, ...
bool is_norm_weight(const std::string& key) {
  const std::string suffix = ".weight";
  if (!key.ends_with(suffix)) return false;
  const std::string module = key.substr(0, key.size() - suffix.size());
  return module.substr(module.rfind('.') + 1).find("norm") != std::string::npos;
}

}  // namespace

void write_random_bagel_checkpoint(const std::filesystem::path& dir, const LanguageConfig& language,
                                   const VisionConfig& vision, at::ScalarType dtype,
                                   std::uint64_t seed, const CheckpointGlue& glue) {
  const std::vector<CheckpointTensor> layout = bagel_checkpoint_layout(language, vision, glue);
  std::filesystem::create_directories(dir);
  checkpoint::write_llm_config(dir / "llm_config.json", language, dtype);
  checkpoint::write_vit_config(dir / "vit_config.json", vision);

  std::vector<TensorSpec> specs;
  specs.reserve(layout.size());
  for (const CheckpointTensor& tensor : layout) specs.push_back({tensor.key, dtype, tensor.shape});
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  // One tensor at a time, so a checkpoint of the release's size needs memory for its largest
  // tensor only.
  const TensorProducer produce = [&](std::size_t i) {
    at::Tensor values = at::randn(specs[i].shape, generator, at::kFloat) * kWeightScale;
    if (is_norm_weight(specs[i].name)) values += 1.0;
    return values.to(dtype);
  };
  write_safetensors(dir / "ema.safetensors", specs, produce, {{"format", "pt"}});
}

}  // namespace seer::models
