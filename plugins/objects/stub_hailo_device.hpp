#pragma once
// A simulated Hailo-8L: the HailoDevice interface with no hardware behind it. Its "network"
// accepts 640×640×3 frames like Hailo's yolov8n HEF and answers in HailoRT's NMS-by-class
// layout, but the detections come from a DetectionScript, never from the pixels.

#include "detection_script.hpp"
#include "hailo_device.hpp"

#include <memory>
#include <vector>

namespace seer::objects {

inline constexpr int kStubInputSize = 640;
inline constexpr int kStubClasses = 80;
inline constexpr int kStubMaxBoxesPerClass = 100;

// What a device scan finds in this build: one simulated Hailo-8L.
std::vector<HailoDeviceInfo> scan_stub_hailo_devices();

class StubHailoDevice final : public HailoDevice {
 public:
  explicit StubHailoDevice(std::shared_ptr<const DetectionScript> script);

  HailoDeviceInfo info() const override;
  // There is no HEF compiler here: an empty path is accepted; any other must name an existing
  // file (std::runtime_error otherwise), which is not parsed. A script using classes beyond
  // the network's 80 is refused (std::runtime_error).
  std::unique_ptr<HailoConfiguredNetwork> configure(const std::filesystem::path& hef) override;

 private:
  std::shared_ptr<const DetectionScript> script_;
};

}  // namespace seer::objects
