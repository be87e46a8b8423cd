#include "hailo_object_detector.hpp"

#include "letterbox.hpp"
#include "yolo_decoder.hpp"

#include <seer/image_io.hpp>

#include <opencv2/imgproc.hpp>

#include <stdexcept>

namespace seer::objects {

HailoObjectDetector::HailoObjectDetector(std::unique_ptr<HailoDevice> device,
                                         const std::filesystem::path& hef,
                                         std::vector<std::string> labels, float score_threshold,
                                         std::string script_source)
    : device_(std::move(device)), labels_(std::move(labels)), score_threshold_(score_threshold) {
  if (!device_) throw std::invalid_argument("hailo object detector: no device");
  const HailoDeviceInfo info = device_->info();
  network_ = device_->configure(hef);
  const HailoVStreamInfo& input = network_->input_vstream();
  const HailoVStreamInfo& output = network_->output_vstream();
  if (input.order != HailoFormatOrder::nhwc || input.channels != 3 || input.width < 1 ||
      input.height < 1) {
    throw std::runtime_error("hailo object detector: input vstream '" + input.name +
                             "' is not a 3-channel NHWC image");
  }
  if (output.order != HailoFormatOrder::hailo_nms_by_class) {
    throw std::runtime_error("hailo object detector: output vstream '" + output.name +
                             "' is not in NMS-by-class order (compile the HEF with NMS)");
  }
  if (static_cast<int>(labels_.size()) < output.num_classes) {
    throw std::runtime_error("hailo object detector: the network has " +
                             std::to_string(output.num_classes) + " classes but only " +
                             std::to_string(labels_.size()) + " labels were given");
  }

  const std::string device_text = info.architecture + " " + info.id;
  if (info.simulated) {
    backend_ = "hailo-stub";
    provenance_ = "backend hailo-stub: SIMULATED " + device_text +
                  " (no Hailo hardware); these objects were scripted by " +
                  (script_source.empty() ? std::string("an empty script") : script_source) +
                  ", not detected in the image";
  } else {
    backend_ = "hailo";
    provenance_ = "backend hailo: " + device_text + " running " + hef.filename().string();
  }
}

std::vector<DetectedObject> HailoObjectDetector::detect(const Image& image) {
  if (image.empty()) throw std::invalid_argument("hailo object detector: the image is empty");
  const HailoVStreamInfo& input = network_->input_vstream();
  const HailoVStreamInfo& output = network_->output_vstream();
  const Letterbox letterbox(image.width, image.height, input.width, input.height);
  cv::Mat rgb;
  cv::cvtColor(letterbox.apply(image_io::to_bgr_mat(image)), rgb, cv::COLOR_BGR2RGB);

  std::vector<float> raw;
  {
    std::lock_guard lock(mutex_);
    raw = network_->infer({rgb.ptr<std::uint8_t>(), rgb.total() * rgb.elemSize()});
  }
  std::vector<DetectedObject> objects;
  for (const ModelDetection& d : decode_hailo_nms_by_class(
           raw, output.num_classes, score_threshold_, input.width, input.height)) {
    const Box box = letterbox.to_frame(d.x_min, d.y_min, d.x_max, d.y_max);
    if (box.width <= 0 || box.height <= 0) continue;  // entirely in the padding
    objects.push_back({labels_[static_cast<std::size_t>(d.class_id)], d.class_id, d.score, box});
  }
  return objects;
}

}  // namespace seer::objects
