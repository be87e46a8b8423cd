#include "static_decode/stored_weights.hpp"

#include <ATen/ATen.h>

#include <chrono>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "seer/models/safetensors_writer.hpp"

namespace seer::models {
namespace {

constexpr const char* kFormat = "seer-fused-language/1";

using Named = std::vector<std::pair<std::string, at::Tensor>>;

SafetensorsMetadata identity(const SafetensorsFile& checkpoint, Quantization quantization,
                             at::ScalarType dtype, bool fold_norms) {
  const std::filesystem::path& source = checkpoint.path();
  const auto modified = std::filesystem::last_write_time(source).time_since_epoch();
  return {{"seer.format", kFormat},
          {"seer.quantization", std::string(quantization_name(quantization))},
          {"seer.dtype", c10::toString(dtype)},
          {"seer.norms", fold_norms ? "folded" : "separate"},
          {"seer.source", source.filename().string()},
          {"seer.source_size", std::to_string(std::filesystem::file_size(source))},
          {"seer.source_mtime",
           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(modified).count())}};
}

void add_linear(Named& named, const std::string& name, const LinearWeight& w) {
  named.emplace_back(name + ".data", w.data);
  if (w.scales.defined()) named.emplace_back(name + ".scales", w.scales);
  if (w.absmax_scales.defined()) named.emplace_back(name + ".absmax_scales", w.absmax_scales);
  named.emplace_back(name + ".shape", at::tensor({w.out_features, w.in_features, w.group}));
  named.emplace_back(name + ".absmax_offset",
                     at::tensor(std::vector<double>{w.absmax_offset}, at::kDouble));
}

Named named_tensors(const FusedLanguageWeights& weights) {
  Named named{{"embed_tokens", weights.embed_tokens}, {"final_norm", weights.final_norm}};
  add_linear(named, "lm_head", weights.lm_head);
  for (std::size_t i = 0; i < weights.layers.size(); ++i) {
    const FusedLayerWeights& layer = weights.layers[i];
    const std::string p = "layers." + std::to_string(i) + ".";
    named.emplace_back(p + "input_norm", layer.input_norm);
    named.emplace_back(p + "post_attention_norm", layer.post_attention_norm);
    named.emplace_back(p + "qkv_bias", layer.qkv_bias);
    named.emplace_back(p + "qk_norm", layer.qk_norm);
    add_linear(named, p + "qkv_proj", layer.qkv_proj);
    add_linear(named, p + "o_proj", layer.o_proj);
    add_linear(named, p + "gate_up_proj", layer.gate_up_proj);
    add_linear(named, p + "down_proj", layer.down_proj);
  }
  return named;
}

class StoredReader {
 public:
  StoredReader(const SafetensorsFile& file, at::Device device, Quantization quantization)
      : file_(file), device_(device), quantization_(quantization) {}

  at::Tensor tensor(const std::string& key) const {
    return file_.load(key, {.float_dtype = std::nullopt, .device = device_});
  }

  LinearWeight linear(const std::string& name) const {
    const at::Tensor shape = file_.load(name + ".shape");
    LinearWeight w{.quantization = quantization_,
                   .data = tensor(name + ".data"),
                   .absmax_offset = file_.load(name + ".absmax_offset").item<double>(),
                   .group = shape[2].item<std::int64_t>(),
                   .out_features = shape[0].item<std::int64_t>(),
                   .in_features = shape[1].item<std::int64_t>()};
    if (file_.contains(name + ".scales")) w.scales = tensor(name + ".scales");
    if (file_.contains(name + ".absmax_scales")) w.absmax_scales = tensor(name + ".absmax_scales");
    return w;
  }

 private:
  const SafetensorsFile& file_;
  at::Device device_;
  Quantization quantization_;
};

FusedLanguageWeights read_stored(const SafetensorsFile& file, const LanguageConfig& config,
                                 at::Device device, Quantization quantization, bool norms_folded) {
  const StoredReader read(file, device, quantization);
  FusedLanguageWeights weights{.norms_folded = norms_folded,
                               .embed_tokens = read.tensor("embed_tokens"),
                               .layers = {},
                               .final_norm = read.tensor("final_norm"),
                               .lm_head = read.linear("lm_head")};
  for (std::int64_t i = 0; i < config.num_layers; ++i) {
    const std::string p = "layers." + std::to_string(i) + ".";
    weights.layers.push_back({.input_norm = read.tensor(p + "input_norm"),
                              .post_attention_norm = read.tensor(p + "post_attention_norm"),
                              .qkv_proj = read.linear(p + "qkv_proj"),
                              .qkv_bias = read.tensor(p + "qkv_bias"),
                              .o_proj = read.linear(p + "o_proj"),
                              .qk_norm = read.tensor(p + "qk_norm"),
                              .gate_up_proj = read.linear(p + "gate_up_proj"),
                              .down_proj = read.linear(p + "down_proj")});
  }
  return weights;
}

bool matches(const SafetensorsFile& file, const SafetensorsMetadata& expected) {
  for (const auto& [key, value] : expected) {
    const auto found = file.metadata().find(key);
    if (found == file.metadata().end() || found->second != value) return false;
  }
  return true;
}

}  // namespace

FusedLanguageWeights load_fused_weights(const LanguageConfig& config,
                                        const SafetensorsFile& checkpoint, at::ScalarType dtype,
                                        at::Device device, Quantization quantization,
                                        const std::filesystem::path& cache,
                                        const CacheWarning& warn, bool fold_norms) {
  if (quantization == Quantization::none) {
    return fuse_language_weights(load_language_weights(config, checkpoint, dtype, device),
                                 quantization, dtype, device, fold_norms);
  }
  const SafetensorsMetadata expected = identity(checkpoint, quantization, dtype, fold_norms);
  if (!cache.empty() && std::filesystem::exists(cache)) {
    try {
      const SafetensorsFile stored(cache);
      if (matches(stored, expected)) {
        return read_stored(stored, config, device, quantization, fold_norms);
      }
    } catch (const std::exception& error) {
      // A damaged cache costs a quantisation, not the load.
      if (warn)
        warn("the quantised weights in " + cache.string() + " are unreadable (" + error.what() +
             "): quantising again");
    }
  }
  // The bf16 matrices stay views of the mapped checkpoint; only their stored form reaches the
  // device, one layer at a time.
  FusedLanguageWeights weights =
      fuse_language_weights(load_language_weights(config, checkpoint, dtype, at::kCPU),
                            quantization, dtype, device, fold_norms);
  if (!cache.empty()) {
    try {
      std::filesystem::create_directories(cache.parent_path().empty() ? "." : cache.parent_path());
      write_safetensors(cache, named_tensors(weights), expected);
    } catch (const std::exception& error) {
      // The weights are quantised and in place: only the next load's shortcut is lost.
      if (warn)
        warn("cannot save the quantised weights to " + cache.string() + ": " + error.what());
    }
  }
  return weights;
}

}  // namespace seer::models
