#pragma once
// Viola-Jones face detection with an OpenCV Haar cascade (opencv-data's frontal face model by
// default). Fast and dependency-free, but frontal faces only and no landmarks.

#include <seer/services/face_detector.hpp>

#include <filesystem>
#include <memory>
#include <mutex>

namespace cv {
class CascadeClassifier;
}

namespace seer::faces {

struct HaarSettings {
  std::filesystem::path cascade =
      "/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
  double scale_factor = 1.1;  // image pyramid step
  int min_neighbors = 8;      // overlapping raw hits needed to keep a face
  int min_size = 40;          // smallest face side, in pixels of the original frame
  // Wider frames are downscaled to this width before detection (0: never). Faster, at the price
  // of faces smaller than 24 / scale pixels (the cascade's window) going unseen.
  int max_width = 640;
};

class HaarFaceDetector final : public FaceDetector {
 public:
  // Throws std::runtime_error naming the file when the cascade cannot be loaded, and
  // std::invalid_argument for settings out of range.
  explicit HaarFaceDetector(HaarSettings settings);
  ~HaarFaceDetector() override;

  // Boxes in the image's pixels, largest first; `score` is 1 (a cascade has no probability)
  // and there are no landmarks. Throws std::invalid_argument for an empty image.
  std::vector<DetectedFace> detect(const Image& image) override;

  const HaarSettings& settings() const { return settings_; }

 private:
  HaarSettings settings_;
  std::mutex mutex_;  // CascadeClassifier keeps scratch state between calls
  std::unique_ptr<cv::CascadeClassifier> cascade_;
};

}  // namespace seer::faces
