#include "seer/models/vision_config.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <iterator>
#include <string_view>

#include "bagel/vision_activation.hpp"

namespace seer::models {
namespace {

// A required positive integer field.
std::int64_t positive_int(const boost::json::object& object, std::string_view field,
                          const std::string& source) {
  const boost::json::value* value = object.if_contains(field);
  if (value == nullptr) {
    throw VisionConfigError(source + ": missing field '" + std::string(field) + "'");
  }
  if (!value->is_int64() || value->as_int64() <= 0) {
    throw VisionConfigError(source + ": field '" + std::string(field) +
                            "' must be a positive integer");
  }
  return value->as_int64();
}

std::string string_or(const boost::json::object& object, std::string_view field,
                      std::string fallback, const std::string& source) {
  const boost::json::value* value = object.if_contains(field);
  if (value == nullptr) return fallback;
  if (!value->is_string()) {
    throw VisionConfigError(source + ": field '" + std::string(field) + "' must be a string");
  }
  return std::string(value->as_string());
}

double number_or(const boost::json::object& object, std::string_view field, double fallback,
                 const std::string& source) {
  const boost::json::value* value = object.if_contains(field);
  if (value == nullptr) return fallback;
  if (!value->is_number()) {
    throw VisionConfigError(source + ": field '" + std::string(field) + "' must be a number");
  }
  return value->to_number<double>();
}

void check_consistent(const VisionConfig& config, const std::string& source) {
  if (config.hidden_size % config.num_attention_heads != 0) {
    throw VisionConfigError(source + ": hidden_size is not a multiple of num_attention_heads");
  }
  if (config.image_size % config.patch_size != 0) {
    throw VisionConfigError(source + ": image_size is not a multiple of patch_size");
  }
  if (config.layers_used() < 1) {
    throw VisionConfigError(source +
                            ": BAGEL drops the last layer, so num_hidden_layers must "
                            "be at least 2");
  }
  try {
    bagel::parse_activation(config.hidden_act);
    bagel::parse_activation(config.connector_act);
  } catch (const VisionConfigError& error) {
    throw VisionConfigError(source + ": " + error.what());
  }
}

}  // namespace

VisionConfig parse_vision_config(const std::string& json_text, const std::string& source) {
  boost::system::error_code error;
  const boost::json::value root = boost::json::parse(json_text, error);
  if (error) throw VisionConfigError(source + ": not valid JSON: " + error.message());
  if (!root.is_object()) throw VisionConfigError(source + ": not a JSON object");
  const boost::json::object& object = root.as_object();

  VisionConfig config;
  config.hidden_size = positive_int(object, "hidden_size", source);
  config.intermediate_size = positive_int(object, "intermediate_size", source);
  config.num_attention_heads = positive_int(object, "num_attention_heads", source);
  config.num_hidden_layers = positive_int(object, "num_hidden_layers", source);
  config.patch_size = positive_int(object, "patch_size", source);
  config.image_size = positive_int(object, "image_size", source);
  if (object.contains("num_channels")) {
    config.num_channels = positive_int(object, "num_channels", source);
  }
  config.hidden_act = string_or(object, "hidden_act", config.hidden_act, source);
  config.layer_norm_eps = number_or(object, "layer_norm_eps", config.layer_norm_eps, source);
  check_consistent(config, source);
  return config;
}

VisionConfig read_vision_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw VisionConfigError(path.string() + ": cannot open the vision config");
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return parse_vision_config(text, path.string());
}

}  // namespace seer::models
