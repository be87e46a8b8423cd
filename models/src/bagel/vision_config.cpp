#include "seer/models/vision_config.hpp"

#include <string_view>

#include "bagel/config_json.hpp"
#include "bagel/vision_activation.hpp"

namespace seer::models {
namespace {

std::int64_t positive_int(const boost::json::object& object, std::string_view field,
                          const std::string& source) {
  return bagel::positive_int<VisionConfigError>(object, field, source);
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
  const boost::json::object object = bagel::parse_json_object<VisionConfigError>(json_text, source);

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
  config.hidden_act =
      bagel::string_or<VisionConfigError>(object, "hidden_act", config.hidden_act, source);
  config.layer_norm_eps =
      bagel::number_or<VisionConfigError>(object, "layer_norm_eps", config.layer_norm_eps, source);
  check_consistent(config, source);
  return config;
}

VisionConfig read_vision_config(const std::filesystem::path& path) {
  return parse_vision_config(bagel::read_text_file<VisionConfigError>(path, "vision config"),
                             path.string());
}

}  // namespace seer::models
