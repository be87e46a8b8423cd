#pragma once
// The faces plugin: provides a seer::FaceDetector (Haar cascade or BlazeFace) to the rest of
// the runtime under the plugin instance's name. It publishes no events.

#include "blazeface_detector.hpp"
#include "haar_face_detector.hpp"

#include <seer/config.hpp>
#include <seer/plugin.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace seer::faces {

enum class DetectorKind { haar, blazeface };

struct FacesSettings {
  DetectorKind detector = DetectorKind::haar;
  HaarSettings haar;
  BlazeFaceSettings blazeface;
};

// $SEER_ASSETS_DIR, else ~/.cache/seer/assets (where tools/dev/fetch-assets.sh puts them).
std::filesystem::path default_assets_dir();

ConfigSchema faces_config_schema();
// Reads a faces section; throws ConfigError located at the offending node.
FacesSettings read_faces_settings(const ConfigNode& config);
// Loads the configured detector; throws std::runtime_error naming a file it cannot load.
std::shared_ptr<FaceDetector> make_face_detector(const FacesSettings& settings);
// The health reason: "haar (haarcascade_frontalface_default.xml, max_width 640)".
std::string describe(const FacesSettings& settings);

class FacesPlugin final : public Plugin {
 public:
  ConfigSchema config_schema() const override;
  std::vector<ServiceInfo> provided_services() const override;
  void configure(const ConfigNode& config) override;
  void start(PluginContext& context) override;
  void stop() override;

  const FacesSettings& settings() const { return settings_; }

 private:
  FacesSettings settings_;
};

}  // namespace seer::faces
