#pragma once
// seer::ObjectDetector on a Hailo device: letterbox the frame to the HEF's input, infer, decode
// HailoRT's NMS-by-class output, map the boxes back. With the stub device (the only one in this
// build) every result is scripted, and provenance() says so.

#include "hailo_device.hpp"

#include <seer/services/object_detector.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace seer::objects {

class HailoObjectDetector final : public ObjectDetector {
 public:
  // Configures `hef` on `device`. Throws std::runtime_error when the HEF cannot be loaded or
  // its vstreams are not an NHWC uint8 image in and NMS-by-class out, or when `labels` has
  // fewer names than the network has classes.
  HailoObjectDetector(std::unique_ptr<HailoDevice> device, const std::filesystem::path& hef,
                      std::vector<std::string> labels, float score_threshold,
                      std::string script_source = {});

  // Throws std::invalid_argument for an empty image.
  std::vector<DetectedObject> detect(const Image& image) override;
  std::string provenance() const override { return provenance_; }
  // "hailo" or, on the simulated device, "hailo-stub".
  const std::string& backend() const { return backend_; }

 private:
  std::unique_ptr<HailoDevice> device_;
  std::unique_ptr<HailoConfiguredNetwork> network_;
  std::vector<std::string> labels_;
  float score_threshold_;
  std::string backend_;
  std::string provenance_;
  std::mutex mutex_;  // one inference at a time, in frame order
};

}  // namespace seer::objects
