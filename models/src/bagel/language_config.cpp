#include "seer/models/language_config.hpp"

#include <string>
#include <string_view>

#include "bagel/config_json.hpp"

namespace seer::models {
namespace {

std::int64_t positive_int(const boost::json::object& config, const std::string& source,
                          std::string_view name) {
  return bagel::positive_int<LanguageConfigError>(config, name, source);
}

double positive_real(const boost::json::object& config, const std::string& source,
                     std::string_view name) {
  return bagel::positive_number<LanguageConfigError>(config, name, source);
}

}  // namespace

LanguageConfig LanguageConfig::from_json_file(const std::filesystem::path& path) {
  const std::string path_text = path.string();
  const boost::json::object json = bagel::parse_json_object<LanguageConfigError>(
      bagel::read_text_file<LanguageConfigError>(path, "language model config"), path_text);
  LanguageConfig config;
  config.hidden_size = positive_int(json, path_text, "hidden_size");
  config.num_layers = positive_int(json, path_text, "num_hidden_layers");
  config.num_heads = positive_int(json, path_text, "num_attention_heads");
  config.num_kv_heads = positive_int(json, path_text, "num_key_value_heads");
  config.intermediate_size = positive_int(json, path_text, "intermediate_size");
  config.vocab_size = positive_int(json, path_text, "vocab_size");
  config.max_position_embeddings = positive_int(json, path_text, "max_position_embeddings");
  config.rope_theta = positive_real(json, path_text, "rope_theta");
  config.rms_norm_eps = positive_real(json, path_text, "rms_norm_eps");
  if (config.hidden_size % config.num_heads != 0 || config.num_heads % config.num_kv_heads != 0) {
    throw LanguageConfigError(path.string() +
                              ": hidden_size must split evenly into num_attention_heads, and "
                              "those into num_key_value_heads");
  }
  config.head_dim = config.hidden_size / config.num_heads;
  return config;
}

}  // namespace seer::models
