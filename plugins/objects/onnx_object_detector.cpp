#include "onnx_object_detector.hpp"

#include "letterbox.hpp"
#include "yolo_decoder.hpp"

#include <seer/image_io.hpp>

#include <opencv2/dnn.hpp>

#include <stdexcept>

namespace seer::objects {

struct OnnxObjectDetector::Network {
  cv::dnn::Net net;
};

OnnxObjectDetector::OnnxObjectDetector(OnnxDetectorSettings settings,
                                       std::vector<std::string> labels)
    : settings_(std::move(settings)),
      labels_(std::move(labels)),
      network_(std::make_unique<Network>()) {
  const auto in_unit_range = [](float value) { return value >= 0 && value <= 1; };
  if (!in_unit_range(settings_.score_threshold) || !in_unit_range(settings_.nms_threshold)) {
    throw std::invalid_argument(
        "opencv-dnn object detector: score_threshold and nms_threshold must lie in [0, 1]");
  }
  if (settings_.input_size < 32 || settings_.input_size % 32 != 0) {
    throw std::invalid_argument("opencv-dnn object detector: input_size must be a multiple of 32");
  }
  if (labels_.empty()) throw std::invalid_argument("opencv-dnn object detector: no labels");
  const std::string path = settings_.model.string();
  if (!std::filesystem::is_regular_file(settings_.model)) {
    throw std::runtime_error("opencv-dnn object detector: ONNX file '" + path + "' does not exist");
  }
  try {
    network_->net = cv::dnn::readNetFromONNX(path);
  } catch (const cv::Exception& error) {
    throw std::runtime_error("opencv-dnn object detector: OpenCV cannot load '" + path +
                             "' as ONNX: " + error.what());
  }
}

OnnxObjectDetector::~OnnxObjectDetector() = default;

std::vector<DetectedObject> OnnxObjectDetector::detect(const Image& image) {
  if (image.empty()) {
    throw std::invalid_argument("opencv-dnn object detector: the image is empty");
  }
  const int size = settings_.input_size;
  const Letterbox letterbox(image.width, image.height, size, size);
  const cv::Mat input = letterbox.apply(image_io::to_bgr_mat(image));
  const cv::Mat blob =
      cv::dnn::blobFromImage(input, 1.0 / 255.0, cv::Size(size, size), cv::Scalar(), true, false);

  cv::Mat output;
  {
    std::lock_guard lock(mutex_);
    network_->net.setInput(blob);
    output = network_->net.forward();
  }
  const int channels = output.dims == 3 ? output.size[1] : 0;
  if (output.dims != 3 || output.size[0] != 1 || channels != 4 + static_cast<int>(labels_.size())) {
    std::string shape;
    for (int i = 0; i < output.dims; ++i) shape += (i ? "," : "") + std::to_string(output.size[i]);
    throw std::runtime_error("opencv-dnn object detector: '" + settings_.model.string() +
                             "' outputs [" + shape + "]; a YOLOv8 head for " +
                             std::to_string(labels_.size()) + " labels is [1," +
                             std::to_string(4 + labels_.size()) + ",N]");
  }
  const int anchors = output.size[2];
  const std::span<const float> values(output.ptr<float>(),
                                      static_cast<std::size_t>(channels) * anchors);

  std::vector<DetectedObject> objects;
  for (const ModelDetection& d : decode_yolov8_raw(
           values, channels, anchors, {settings_.score_threshold, settings_.nms_threshold})) {
    const Box box = letterbox.to_frame(d.x_min, d.y_min, d.x_max, d.y_max);
    if (box.width <= 0 || box.height <= 0) continue;  // entirely in the padding
    objects.push_back({labels_[static_cast<std::size_t>(d.class_id)], d.class_id, d.score, box});
  }
  return objects;
}

std::string OnnxObjectDetector::provenance() const {
  return "backend opencv-dnn: YOLOv8 ONNX model " + settings_.model.filename().string() +
         " on the CPU (OpenCV dnn)";
}

}  // namespace seer::objects
