#pragma once
// The part of HailoRT this plugin uses, as an interface: find a device, load a HEF (a compiled
// network) onto it, learn the input and output vstreams, run inference. A real backend would
// wrap hailort's Device::scan / VDevice / Hef / ConfigureNetworkGroup / InferVStreams behind
// it; this repository only has a stub (stub_hailo_device.hpp), since no Hailo hardware or
// HailoRT is available.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace seer::objects {

enum class HailoFormatOrder {
  nhwc,               // uint8 pixels, height × width × channels (the input)
  hailo_nms_by_class  // per class: count, then count × [y_min, x_min, y_max, x_max, score]
};

struct HailoVStreamInfo {
  std::string name;
  HailoFormatOrder order = HailoFormatOrder::nhwc;
  int height = 0;  // nhwc
  int width = 0;
  int channels = 0;
  int num_classes = 0;  // hailo_nms_by_class
  int max_boxes_per_class = 0;
};

struct HailoDeviceInfo {
  std::string id;            // e.g. a PCIe address "0000:01:00.0"
  std::string architecture;  // "HAILO8L"
  bool simulated = false;    // true for the stub: nothing it outputs comes from a model
};

// A network group configured on a device, ready to infer.
class HailoConfiguredNetwork {
 public:
  virtual ~HailoConfiguredNetwork() = default;
  virtual const HailoVStreamInfo& input_vstream() const = 0;
  virtual const HailoVStreamInfo& output_vstream() const = 0;
  // One frame in (uint8, laid out as input_vstream() says), the output vstream's floats out.
  // Throws std::invalid_argument when the input has the wrong size.
  virtual std::vector<float> infer(std::span<const std::uint8_t> input) = 0;
};

class HailoDevice {
 public:
  virtual ~HailoDevice() = default;
  virtual HailoDeviceInfo info() const = 0;
  // Loads the HEF and configures its network group; throws std::runtime_error naming the file.
  virtual std::unique_ptr<HailoConfiguredNetwork> configure(const std::filesystem::path& hef) = 0;
};

}  // namespace seer::objects
