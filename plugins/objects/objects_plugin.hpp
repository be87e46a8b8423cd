#pragma once
// The objects plugin: provides a seer::ObjectDetector backed by a Hailo-8L-style device (a
// STUB in this build: scripted detections) or by a YOLOv8 ONNX model through OpenCV dnn.

#include "detection_script.hpp"

#include <seer/config.hpp>
#include <seer/plugin.hpp>
#include <seer/services/object_detector.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace seer::objects {

enum class Backend { hailo, opencv_dnn };

struct ObjectsSettings {
  Backend backend = Backend::hailo;
  std::filesystem::path hef;   // hailo; optional for the stub
  std::filesystem::path onnx;  // opencv-dnn; required there
  int input_size = 640;        // opencv-dnn
  float score_threshold = 0.25f;
  float nms_threshold = 0.45f;        // opencv-dnn (a HEF does its NMS on the device)
  std::filesystem::path labels_file;  // empty: the built-in COCO-80 names
  std::vector<std::string> labels;    // as read
  std::shared_ptr<const DetectionScript> stub_script = std::make_shared<DetectionScript>();
};

ConfigSchema objects_config_schema();
// Reads an objects section, the labels file and the stub's script; throws ConfigError located
// at the offending node (or in the script file).
ObjectsSettings read_objects_settings(const ConfigNode& config);
// Opens the backend; throws std::runtime_error naming a file it cannot load.
std::shared_ptr<ObjectDetector> make_object_detector(const ObjectsSettings& settings);

class ObjectsPlugin final : public Plugin {
 public:
  ConfigSchema config_schema() const override;
  std::vector<ServiceInfo> provided_services() const override;
  void configure(const ConfigNode& config) override;
  void start(PluginContext& context) override;
  void stop() override;

  const ObjectsSettings& settings() const { return settings_; }

 private:
  ObjectsSettings settings_;
};

}  // namespace seer::objects
