#pragma once
// MediaPipe's BlazeFace (short-range, 128×128 front model) run through OpenCV dnn from the
// ONNX export: faces with 6 landmarks and a probability.

#include "blazeface_anchors.hpp"

#include <seer/services/face_detector.hpp>

#include <filesystem>
#include <memory>
#include <mutex>

namespace seer::faces {

struct BlazeFaceSettings {
  std::filesystem::path model;  // face_detection_front_128x128_barracuda.onnx
  float score_threshold = 0.75f;
  float nms_threshold = 0.3f;  // IoU above which the weaker of two boxes is dropped
};

class BlazeFaceDetector final : public FaceDetector {
 public:
  // Throws std::runtime_error naming the file when the model cannot be loaded or does not
  // have BlazeFace's outputs, and std::invalid_argument for thresholds outside [0, 1].
  explicit BlazeFaceDetector(BlazeFaceSettings settings);
  ~BlazeFaceDetector() override;

  // Boxes in the image's pixels (clamped to it), largest first, with the 6 landmarks in the
  // order of BlazeFaceCandidate::keypoints. Throws std::invalid_argument for an empty image.
  std::vector<DetectedFace> detect(const Image& image) override;

  const BlazeFaceSettings& settings() const { return settings_; }

 private:
  BlazeFaceSettings settings_;
  std::vector<Anchor> anchors_;
  struct Network;     // the cv::dnn::Net, kept out of this header
  std::mutex mutex_;  // a dnn::Net runs one forward pass at a time
  std::unique_ptr<Network> network_;
};

}  // namespace seer::faces
