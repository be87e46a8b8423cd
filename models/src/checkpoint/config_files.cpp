#include "checkpoint/config_files.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <span>
#include <stdexcept>
#include <string>

#include "safetensors/writer_atomic_file.hpp"

namespace seer::models::checkpoint {
namespace {

void write_json(const std::filesystem::path& path, const boost::json::object& json) {
  const std::string text = boost::json::serialize(json) + "\n";
  safetensors::AtomicFile file(path);
  file.write(std::as_bytes(std::span(text)));
  file.commit();
}

std::string torch_dtype_name(at::ScalarType dtype) {
  switch (dtype) {
    case at::kBFloat16:
      return "bfloat16";
    case at::kHalf:
      return "float16";
    case at::kFloat:
      return "float32";
    default:
      throw std::invalid_argument(
          "a checkpoint's weights must be bfloat16, float16 or float32, not " +
          std::string(c10::toString(dtype)));
  }
}

void check_expressible(const LanguageConfig& config) {
  if (config.num_heads <= 0 || config.num_kv_heads <= 0 ||
      config.hidden_size != config.num_heads * config.head_dim ||
      config.num_heads % config.num_kv_heads != 0) {
    throw std::invalid_argument(
        "llm_config.json cannot express this language model: hidden_size must equal "
        "num_heads * head_dim and num_heads must be a multiple of num_kv_heads");
  }
  if (!config.qk_norm) {
    throw std::invalid_argument("BAGEL checkpoints have QK-norm; qk_norm cannot be off");
  }
}

}  // namespace

void write_llm_config(const std::filesystem::path& path, const LanguageConfig& config,
                      at::ScalarType dtype) {
  check_expressible(config);
  const boost::json::object json{
      {"architectures", {"Qwen2ForCausalLM"}},
      {"model_type", "qwen2"},
      {"hidden_size", config.hidden_size},
      {"intermediate_size", config.intermediate_size},
      {"num_hidden_layers", config.num_layers},
      {"num_attention_heads", config.num_heads},
      {"num_key_value_heads", config.num_kv_heads},
      {"hidden_act", "silu"},
      {"rms_norm_eps", config.rms_norm_eps},
      {"rope_theta", config.rope_theta},
      {"max_position_embeddings", config.max_position_embeddings},
      {"vocab_size", config.vocab_size},
      {"bos_token_id", 151643},
      {"eos_token_id", 151645},
      {"tie_word_embeddings", false},
      {"use_sliding_window", false},
      {"sliding_window", 131072},
      {"max_window_layers", config.num_layers},
      {"attention_dropout", 0.0},
      {"torch_dtype", torch_dtype_name(dtype)},
  };
  write_json(path, json);
}

void write_vit_config(const std::filesystem::path& path, const VisionConfig& config) {
  const VisionConfig defaults;
  if (config.connector_act != defaults.connector_act) {
    throw std::invalid_argument("no config file records connector_act; only '" +
                                defaults.connector_act + "' can be written");
  }
  boost::json::object json{
      {"model_type", "siglip_vision_model"},
      {"hidden_size", config.hidden_size},
      {"intermediate_size", config.intermediate_size},
      {"num_hidden_layers", config.num_hidden_layers},
      {"num_attention_heads", config.num_attention_heads},
      {"patch_size", config.patch_size},
      {"image_size", config.image_size},
      {"num_channels", config.num_channels},
  };
  if (config.hidden_act != defaults.hidden_act) json["hidden_act"] = config.hidden_act;
  if (config.layer_norm_eps != defaults.layer_norm_eps) {
    json["layer_norm_eps"] = config.layer_norm_eps;
  }
  // What the engine would refuse is refused here, before anything is written.
  parse_vision_config(boost::json::serialize(json), path.string());
  write_json(path, json);
}

}  // namespace seer::models::checkpoint
