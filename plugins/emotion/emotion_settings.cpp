#include "emotion_settings.hpp"

#include <cstdlib>
#include <string>

namespace seer::emotion {

namespace {

constexpr int kMaxThreads = 64;
constexpr const char* kManifestInAssets = "face-api/face_expression_model-weights_manifest.json";

std::filesystem::path environment_path(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::filesystem::path(value) : std::filesystem::path();
}

}  // namespace

std::filesystem::path default_model_path() {
  std::filesystem::path assets = environment_path("SEER_ASSETS_DIR");
  if (assets.empty()) {
    if (const auto cache = environment_path("SEER_CACHE"); !cache.empty()) {
      assets = cache / "assets";
    } else if (const auto xdg = environment_path("XDG_CACHE_HOME"); !xdg.empty()) {
      assets = xdg / "seer/assets";
    } else {
      assets = environment_path("HOME") / ".cache/seer/assets";
    }
  }
  return assets / kManifestInAssets;
}

std::string_view to_string(models::FaceResize resize) {
  return resize == models::FaceResize::area ? "area" : "bilinear";
}

ConfigSchema emotion_config_schema() {
  ConfigSchema schema;
  schema.optional("model", ConfigType::string,
                  "face-api's face_expression_model-weights_manifest.json; the .bin it names "
                  "lies beside it",
                  std::string("$SEER_ASSETS_DIR (else ~/.cache/seer/assets)/") + kManifestInAssets);
  schema.add(ConfigField{.key = "threads",
                         .type = ConfigType::integer,
                         .description = "torch intra-op threads for one read (process-wide in "
                                        "libtorch)",
                         .default_text = "1",
                         .minimum = 1,
                         .maximum = kMaxThreads});
  schema.choice("resize", {"bilinear", "area"},
                "how a face crop becomes 112x112: bilinear as face-api does, or area (OpenCV "
                "INTER_AREA) to match OpenCV pipelines",
                "bilinear");
  return schema;
}

EmotionSettings read_emotion_settings(const ConfigNode& config) {
  EmotionSettings settings;
  const ConfigNode model = config["model"];
  settings.model =
      model.defined() ? std::filesystem::path(model.as_string()) : default_model_path();
  if (settings.model.empty()) throw model.error("model must name a weights manifest");

  const ConfigNode threads = config["threads"];
  const std::int64_t thread_count = threads.int_or(settings.threads);
  if (thread_count < 1 || thread_count > kMaxThreads) {
    throw threads.error("threads must be between 1 and " + std::to_string(kMaxThreads) + ", got " +
                        std::to_string(thread_count));
  }
  settings.threads = static_cast<int>(thread_count);

  const ConfigNode resize = config["resize"];
  const std::string resize_name = resize.string_or("bilinear");
  if (resize_name == "area") {
    settings.resize = models::FaceResize::area;
  } else if (resize_name != "bilinear") {
    throw resize.error("resize must be 'bilinear' or 'area', got '" + resize_name + "'");
  }
  return settings;
}

}  // namespace seer::emotion
