#include "faces_plugin.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace seer::faces {
namespace {

double read_number(const ConfigNode& node, double fallback, double minimum, double maximum,
                   bool exclusive_minimum = false) {
  if (!node.defined()) return fallback;
  const double value = node.as_double();
  const bool too_small = exclusive_minimum ? value <= minimum : value < minimum;
  if (too_small || value > maximum) {
    throw node.error("expected a number " + std::string(exclusive_minimum ? "above " : "from ") +
                     std::to_string(minimum) + " to " + std::to_string(maximum) + ", got " +
                     node.as_string());
  }
  return value;
}

int read_integer(const ConfigNode& node, int fallback, int minimum) {
  if (!node.defined()) return fallback;
  const std::int64_t value = node.as_int();
  if (value < minimum || value > 1'000'000) {
    throw node.error("expected an integer of at least " + std::to_string(minimum) + ", got " +
                     node.as_string());
  }
  return static_cast<int>(value);
}

}  // namespace

std::filesystem::path default_assets_dir() {
  if (const char* dir = std::getenv("SEER_ASSETS_DIR"); dir && *dir) return dir;
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : "") / ".cache/seer/assets";
}

ConfigSchema faces_config_schema() {
  const HaarSettings haar;
  ConfigSchema haar_schema;
  haar_schema.optional("cascade", ConfigType::string, "OpenCV Haar cascade XML file",
                       haar.cascade.string());
  haar_schema.optional("scale_factor", ConfigType::number, "image pyramid step (> 1)", "1.1");
  haar_schema.optional("min_neighbors", ConfigType::integer,
                       "overlapping raw hits needed to keep a face", "8");
  haar_schema.optional("min_size", ConfigType::integer, "smallest face side in frame pixels", "40");
  haar_schema.optional("max_width", ConfigType::integer,
                       "wider frames are downscaled to this width first; 0: never", "640");

  ConfigSchema blazeface_schema;
  blazeface_schema.optional(
      "model", ConfigType::string, "BlazeFace front-model ONNX file",
      "$SEER_ASSETS_DIR/blazeface/face_detection_front_128x128_barracuda.onnx");
  blazeface_schema.optional("score_threshold", ConfigType::number, "lowest face probability",
                            "0.75");
  blazeface_schema.optional("nms_threshold", ConfigType::number,
                            "IoU above which the less probable of two faces is dropped", "0.3");

  ConfigSchema schema;
  schema.choice("detector", {"haar", "blazeface"}, "the face detector to provide", "haar");
  schema.object("haar", std::move(haar_schema), "Haar cascade settings");
  schema.object("blazeface", std::move(blazeface_schema), "BlazeFace settings");
  return schema;
}

FacesSettings read_faces_settings(const ConfigNode& config) {
  FacesSettings settings;
  settings.blazeface.model =
      default_assets_dir() / "blazeface/face_detection_front_128x128_barracuda.onnx";
  if (!config.defined() || config.is_null()) return settings;

  if (const ConfigNode detector = config["detector"]; detector.defined()) {
    const std::string name = detector.as_string();
    if (name == "haar") {
      settings.detector = DetectorKind::haar;
    } else if (name == "blazeface") {
      settings.detector = DetectorKind::blazeface;
    } else {
      throw detector.error("unknown detector '" + name + "': expected 'haar' or 'blazeface'");
    }
  }

  if (const ConfigNode haar = config["haar"]; haar.defined() && !haar.is_null()) {
    if (!haar.is_map()) throw haar.error("expected a map of Haar cascade settings");
    HaarSettings& out = settings.haar;
    out.cascade = haar["cascade"].string_or(out.cascade.string());
    out.scale_factor = read_number(haar["scale_factor"], out.scale_factor, 1.0, 4.0, true);
    out.min_neighbors = read_integer(haar["min_neighbors"], out.min_neighbors, 0);
    out.min_size = read_integer(haar["min_size"], out.min_size, 1);
    out.max_width = read_integer(haar["max_width"], out.max_width, 0);
  }

  if (const ConfigNode blaze = config["blazeface"]; blaze.defined() && !blaze.is_null()) {
    if (!blaze.is_map()) throw blaze.error("expected a map of BlazeFace settings");
    BlazeFaceSettings& out = settings.blazeface;
    out.model = blaze["model"].string_or(out.model.string());
    out.score_threshold =
        static_cast<float>(read_number(blaze["score_threshold"], out.score_threshold, 0, 1));
    out.nms_threshold =
        static_cast<float>(read_number(blaze["nms_threshold"], out.nms_threshold, 0, 1));
  }
  return settings;
}

std::shared_ptr<FaceDetector> make_face_detector(const FacesSettings& settings) {
  if (settings.detector == DetectorKind::blazeface) {
    return std::make_shared<BlazeFaceDetector>(settings.blazeface);
  }
  return std::make_shared<HaarFaceDetector>(settings.haar);
}

std::string describe(const FacesSettings& settings) {
  if (settings.detector == DetectorKind::blazeface) {
    char threshold[16];
    std::snprintf(threshold, sizeof threshold, "%.2f", settings.blazeface.score_threshold);
    return "blazeface (" + settings.blazeface.model.filename().string() +
           ", score >= " + threshold + ")";
  }
  return "haar (" + settings.haar.cascade.filename().string() + ", max_width " +
         std::to_string(settings.haar.max_width) + ")";
}

ConfigSchema FacesPlugin::config_schema() const { return faces_config_schema(); }

std::vector<ServiceInfo> FacesPlugin::provided_services() const {
  return {{std::string(FaceDetector::interface_id), "face boxes (and landmarks) in an image"}};
}

void FacesPlugin::configure(const ConfigNode& config) { settings_ = read_faces_settings(config); }

void FacesPlugin::start(PluginContext& context) {
  std::shared_ptr<FaceDetector> detector = make_face_detector(settings_);
  context.provide<FaceDetector>(context.instance_name(), std::move(detector));
  context.health().ready(describe(settings_));
}

// The registry drops the service when the plugin stops; nothing runs in the background.
void FacesPlugin::stop() {}

}  // namespace seer::faces
