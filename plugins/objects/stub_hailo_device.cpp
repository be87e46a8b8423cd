#include "stub_hailo_device.hpp"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <stdexcept>
#include <string>

namespace seer::objects {
namespace {

// Each inference takes the script's next frame.
class StubNetwork final : public HailoConfiguredNetwork {
 public:
  explicit StubNetwork(std::shared_ptr<const DetectionScript> script) : script_(std::move(script)) {
    input_.name = "yolov8n/input_layer1";
    input_.order = HailoFormatOrder::nhwc;
    input_.height = kStubInputSize;
    input_.width = kStubInputSize;
    input_.channels = 3;
    output_.name = "yolov8n/yolov8_nms_postprocess";
    output_.order = HailoFormatOrder::hailo_nms_by_class;
    output_.num_classes = kStubClasses;
    output_.max_boxes_per_class = kStubMaxBoxesPerClass;
  }

  const HailoVStreamInfo& input_vstream() const override { return input_; }
  const HailoVStreamInfo& output_vstream() const override { return output_; }

  std::vector<float> infer(std::span<const std::uint8_t> input) override {
    const auto expected = static_cast<std::size_t>(input_.height * input_.width * input_.channels);
    if (input.size() != expected) {
      throw std::invalid_argument("stub Hailo device: input vstream '" + input_.name + "' takes " +
                                  std::to_string(expected) + " bytes, got " +
                                  std::to_string(input.size()));
    }
    return encode(script_->frame(next_frame_++));
  }

 private:
  // Hailo's layout: class by class, a count then that many [y_min, x_min, y_max, x_max, score],
  // best first, at most max_boxes_per_class each.
  std::vector<float> encode(const std::vector<ScriptedDetection>& detections) const {
    std::vector<float> output;
    for (int class_id = 0; class_id < kStubClasses; ++class_id) {
      std::vector<ScriptedDetection> mine;
      std::copy_if(detections.begin(), detections.end(), std::back_inserter(mine),
                   [&](const ScriptedDetection& d) { return d.class_id == class_id; });
      std::stable_sort(mine.begin(), mine.end(),
                       [](const auto& a, const auto& b) { return a.score > b.score; });
      if (mine.size() > kStubMaxBoxesPerClass) mine.resize(kStubMaxBoxesPerClass);
      output.push_back(static_cast<float>(mine.size()));
      for (const ScriptedDetection& d : mine) {
        output.insert(output.end(), {d.y_min, d.x_min, d.y_max, d.x_max, d.score});
      }
    }
    return output;
  }

  std::shared_ptr<const DetectionScript> script_;
  HailoVStreamInfo input_;
  HailoVStreamInfo output_;
  std::atomic<std::uint64_t> next_frame_{0};
};

}  // namespace

std::vector<HailoDeviceInfo> scan_stub_hailo_devices() {
  return {HailoDeviceInfo{"stub-0000:00:00.0", "HAILO8L", true}};
}

StubHailoDevice::StubHailoDevice(std::shared_ptr<const DetectionScript> script)
    : script_(std::move(script)) {
  if (!script_) throw std::invalid_argument("stub Hailo device: no detection script");
}

HailoDeviceInfo StubHailoDevice::info() const { return scan_stub_hailo_devices().front(); }

std::unique_ptr<HailoConfiguredNetwork> StubHailoDevice::configure(
    const std::filesystem::path& hef) {
  if (!hef.empty() && !std::filesystem::is_regular_file(hef)) {
    throw std::runtime_error("stub Hailo device: HEF file '" + hef.string() + "' does not exist");
  }
  if (script_->highest_class_id() >= kStubClasses) {
    throw std::runtime_error("stub Hailo device: the script (" + script_->source() +
                             ") uses class " + std::to_string(script_->highest_class_id()) +
                             " but the network has " + std::to_string(kStubClasses) + " classes");
  }
  return std::make_unique<StubNetwork>(script_);
}

}  // namespace seer::objects
