#include "objects_plugin.hpp"

#include "coco_labels.hpp"
#include "hailo_object_detector.hpp"
#include "onnx_object_detector.hpp"
#include "stub_hailo_device.hpp"

#include <spdlog/logger.h>

#include <stdexcept>

namespace seer::objects {
namespace {

float read_unit(const ConfigNode& node, float fallback) {
  if (!node.defined()) return fallback;
  const double value = node.as_double();
  if (!(value >= 0 && value <= 1)) {
    throw node.error("expected a number from 0 to 1, got " + node.as_string());
  }
  return static_cast<float>(value);
}

std::shared_ptr<const DetectionScript> read_stub(const ConfigNode& stub,
                                                 const std::vector<std::string>& labels) {
  if (!stub.defined() || stub.is_null()) return std::make_shared<DetectionScript>();
  if (!stub.is_map()) throw stub.error("expected the stub's settings: {script} or {frames}");
  const ConfigNode script = stub["script"];
  if (script.defined() && stub["frames"].defined()) {
    throw script.error("give the stub either a 'script' file or inline 'frames', not both");
  }
  if (script.defined()) {
    return std::make_shared<DetectionScript>(load_detection_script(script.as_string(), labels));
  }
  return std::make_shared<DetectionScript>(
      read_detection_script(stub, labels, "the configuration at " + stub.key_path()));
}

}  // namespace

ConfigSchema objects_config_schema() {
  ConfigSchema detection;
  detection.optional("label", ConfigType::string, "class name (or give class_id)");
  detection.optional("class_id", ConfigType::integer, "class index (or give label)");
  detection.required("score", ConfigType::number, "0 to 1");
  detection.list_of("box", ConfigType::number,
                    "[x_min, y_min, x_max, y_max] normalised to the network input");
  ConfigSchema frame;
  frame.optional("repeat", ConfigType::integer, "inferences this entry lasts", "1");
  frame.list_of("detections", std::move(detection), "what the device reports");
  ConfigSchema stub;
  stub.optional("script", ConfigType::string, "JSON file with {loop, frames}");
  stub.optional("loop", ConfigType::boolean, "start over after the last frame", "true");
  stub.list_of("frames", std::move(frame), "scripted frames, in inference order");

  ConfigSchema schema;
  schema.choice("backend", {"hailo", "opencv-dnn"}, "where detections come from", "hailo");
  schema.optional("hef", ConfigType::string, "Hailo HEF file (optional for the stub)");
  schema.optional("onnx", ConfigType::string, "YOLOv8 ONNX export (opencv-dnn)");
  schema.optional("input_size", ConfigType::integer, "model input side (opencv-dnn)", "640");
  schema.optional("score_threshold", ConfigType::number, "lowest score kept", "0.25");
  schema.optional("nms_threshold", ConfigType::number, "class-wise NMS IoU (opencv-dnn)", "0.45");
  schema.optional("labels", ConfigType::string, "class names, one per line", "built-in COCO-80");
  schema.object("stub", std::move(stub), "the simulated Hailo device's script");
  return schema;
}

ObjectsSettings read_objects_settings(const ConfigNode& config) {
  ObjectsSettings settings;
  settings.labels = coco80_labels();
  if (!config.defined() || config.is_null()) return settings;

  if (const ConfigNode backend = config["backend"]; backend.defined()) {
    const std::string name = backend.as_string();
    if (name == "hailo") {
      settings.backend = Backend::hailo;
    } else if (name == "opencv-dnn") {
      settings.backend = Backend::opencv_dnn;
    } else {
      throw backend.error("unknown backend '" + name + "': expected 'hailo' or 'opencv-dnn'");
    }
  }
  settings.hef = config["hef"].string_or("");
  settings.onnx = config["onnx"].string_or("");
  if (settings.backend == Backend::opencv_dnn && settings.onnx.empty()) {
    throw config.error("backend 'opencv-dnn' needs 'onnx': the path of a YOLOv8 ONNX export");
  }
  if (const ConfigNode size = config["input_size"]; size.defined()) {
    const std::int64_t value = size.as_int();
    if (value < 32 || value > 4096 || value % 32 != 0) {
      throw size.error("input_size must be a multiple of 32 from 32 to 4096");
    }
    settings.input_size = static_cast<int>(value);
  }
  settings.score_threshold = read_unit(config["score_threshold"], settings.score_threshold);
  settings.nms_threshold = read_unit(config["nms_threshold"], settings.nms_threshold);

  if (const ConfigNode labels = config["labels"]; labels.defined()) {
    settings.labels_file = labels.as_string();
    try {
      settings.labels = read_labels_file(settings.labels_file);
    } catch (const std::runtime_error& error) {
      throw labels.error(error.what());
    }
  }
  settings.stub_script = read_stub(config["stub"], settings.labels);
  return settings;
}

std::shared_ptr<ObjectDetector> make_object_detector(const ObjectsSettings& settings) {
  if (settings.backend == Backend::opencv_dnn) {
    return std::make_shared<OnnxObjectDetector>(
        OnnxDetectorSettings{settings.onnx, settings.input_size, settings.score_threshold,
                             settings.nms_threshold},
        settings.labels);
  }
  // HailoRT would scan PCIe here; this build only knows the simulated device.
  if (scan_stub_hailo_devices().empty()) throw std::runtime_error("no Hailo device found");
  return std::make_shared<HailoObjectDetector>(
      std::make_unique<StubHailoDevice>(settings.stub_script), settings.hef, settings.labels,
      settings.score_threshold, settings.stub_script->source());
}

ConfigSchema ObjectsPlugin::config_schema() const { return objects_config_schema(); }

std::vector<ServiceInfo> ObjectsPlugin::provided_services() const {
  return {{std::string(ObjectDetector::interface_id),
           "labelled object boxes in an image (the Hailo backend is a simulated stub)"}};
}

void ObjectsPlugin::configure(const ConfigNode& config) {
  settings_ = read_objects_settings(config);
}

void ObjectsPlugin::start(PluginContext& context) {
  std::shared_ptr<ObjectDetector> detector = make_object_detector(settings_);
  const std::string provenance = detector->provenance();
  context.provide<ObjectDetector>(context.instance_name(), std::move(detector));
  if (settings_.backend == Backend::hailo) {
    context.log().warn("the Hailo backend is a STUB: {}", provenance);
  }
  context.health().ready(provenance);
}

// The registry drops the service when the plugin stops; nothing runs in the background.
void ObjectsPlugin::stop() {}

}  // namespace seer::objects
