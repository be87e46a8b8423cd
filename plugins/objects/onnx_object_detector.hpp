#pragma once
// seer::ObjectDetector running a user-supplied YOLOv8 ONNX export (e.g. `yolo export
// model=yolov8n.pt format=onnx`: input "images" [1,3,640,640], output [1,84,8400]) on the CPU
// through OpenCV dnn.

#include <seer/services/object_detector.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace seer::objects {

struct OnnxDetectorSettings {
  std::filesystem::path model;
  int input_size = 640;  // the square the model was exported for
  float score_threshold = 0.25f;
  float nms_threshold = 0.45f;
};

class OnnxObjectDetector final : public ObjectDetector {
 public:
  // Throws std::runtime_error naming the file when OpenCV cannot load it, and
  // std::invalid_argument for settings out of range or no labels.
  OnnxObjectDetector(OnnxDetectorSettings settings, std::vector<std::string> labels);
  ~OnnxObjectDetector() override;

  // Letterboxes (grey 114) to input_size, RGB / 255, runs the model, decodes with class-wise
  // NMS and maps boxes back to the frame; highest score first. Throws std::invalid_argument
  // for an empty image and std::runtime_error when the model's output is not [1, 4 + labels, N].
  std::vector<DetectedObject> detect(const Image& image) override;
  std::string provenance() const override;

 private:
  OnnxDetectorSettings settings_;
  std::vector<std::string> labels_;
  struct Network;  // the cv::dnn::Net, kept out of this header
  std::unique_ptr<Network> network_;
  std::mutex mutex_;  // a dnn::Net runs one forward pass at a time
};

}  // namespace seer::objects
