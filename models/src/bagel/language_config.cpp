#include "seer/models/language_config.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <iterator>
#include <string>

namespace seer::models {
namespace {

boost::json::object read_object(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LanguageConfigError(path.string() + ": cannot open the language model config");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(text, error);
  if (error || !parsed.is_object()) {
    throw LanguageConfigError(path.string() + ": not a JSON object");
  }
  return std::move(parsed.as_object());
}

const boost::json::value& field(const boost::json::object& config,
                                const std::filesystem::path& path, const char* name) {
  const boost::json::value* value = config.if_contains(name);
  if (value == nullptr || !value->is_number()) {
    throw LanguageConfigError(path.string() + ": missing numeric field '" + name + "'");
  }
  return *value;
}

std::int64_t positive_int(const boost::json::object& config, const std::filesystem::path& path,
                          const char* name) {
  const boost::json::value& value = field(config, path, name);
  boost::system::error_code error;
  const auto number = value.to_number<std::int64_t>(error);
  if (error || number <= 0) {
    throw LanguageConfigError(path.string() + ": field '" + name + "' is not a positive integer");
  }
  return number;
}

double positive_real(const boost::json::object& config, const std::filesystem::path& path,
                     const char* name) {
  const double number = field(config, path, name).to_number<double>();
  if (!(number > 0.0)) {
    throw LanguageConfigError(path.string() + ": field '" + name + "' is not positive");
  }
  return number;
}

}  // namespace

LanguageConfig LanguageConfig::from_json_file(const std::filesystem::path& path) {
  const boost::json::object json = read_object(path);
  LanguageConfig config;
  config.hidden_size = positive_int(json, path, "hidden_size");
  config.num_layers = positive_int(json, path, "num_hidden_layers");
  config.num_heads = positive_int(json, path, "num_attention_heads");
  config.num_kv_heads = positive_int(json, path, "num_key_value_heads");
  config.intermediate_size = positive_int(json, path, "intermediate_size");
  config.vocab_size = positive_int(json, path, "vocab_size");
  config.max_position_embeddings = positive_int(json, path, "max_position_embeddings");
  config.rope_theta = positive_real(json, path, "rope_theta");
  config.rms_norm_eps = positive_real(json, path, "rms_norm_eps");
  if (config.hidden_size % config.num_heads != 0 || config.num_heads % config.num_kv_heads != 0) {
    throw LanguageConfigError(path.string() +
                              ": hidden_size must split evenly into num_attention_heads, and "
                              "those into num_key_value_heads");
  }
  config.head_dim = config.hidden_size / config.num_heads;
  return config;
}

}  // namespace seer::models
