#include "blazeface_detector.hpp"

#include "face_ordering.hpp"

#include <seer/image_io.hpp>

#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace seer::faces {
namespace {

constexpr int kInputSize = 128;

// Where the frame sits inside the square model input: scaled to fit, centred, padded.
struct Letterbox {
  int width = 0;  // the scaled frame, in input pixels
  int height = 0;
  int left = 0;
  int top = 0;
  float scale_x = 1;  // input pixels per frame pixel
  float scale_y = 1;
};

Letterbox fit_square(int frame_width, int frame_height) {
  const double scale = static_cast<double>(kInputSize) / std::max(frame_width, frame_height);
  Letterbox box;
  box.width = std::clamp(static_cast<int>(std::lround(frame_width * scale)), 1, kInputSize);
  box.height = std::clamp(static_cast<int>(std::lround(frame_height * scale)), 1, kInputSize);
  box.left = (kInputSize - box.width) / 2;
  box.top = (kInputSize - box.height) / 2;
  box.scale_x = static_cast<float>(box.width) / static_cast<float>(frame_width);
  box.scale_y = static_cast<float>(box.height) / static_cast<float>(frame_height);
  return box;
}

// The NHWC float blob the model wants: RGB in [-1, 1], letterboxed with black (0 → -1).
cv::Mat make_input(const Image& image, const Letterbox& letterbox) {
  cv::Mat resized;
  cv::resize(image_io::to_bgr_mat(image), resized, cv::Size(letterbox.width, letterbox.height), 0,
             0, cv::INTER_AREA);
  cv::Mat square(kInputSize, kInputSize, CV_8UC3, cv::Scalar::all(0));
  resized.copyTo(
      square(cv::Rect(letterbox.left, letterbox.top, letterbox.width, letterbox.height)));

  cv::Mat rgb;
  cv::cvtColor(square, rgb, cv::COLOR_BGR2RGB);
  const int shape[] = {1, kInputSize, kInputSize, 3};
  cv::Mat blob(4, shape, CV_32F);
  // A continuous CV_32FC3 image is already laid out as H×W×C.
  cv::Mat hwc(kInputSize, kInputSize, CV_32FC3, blob.ptr<float>());
  rgb.convertTo(hwc, CV_32FC3, 2.0 / 255.0, -1.0);
  return blob;
}

}  // namespace

struct BlazeFaceDetector::Network {
  cv::dnn::Net net;
  std::vector<std::string> output_names;
};

BlazeFaceDetector::BlazeFaceDetector(BlazeFaceSettings settings)
    : settings_(std::move(settings)),
      anchors_(blazeface_front_anchors(kInputSize)),
      network_(std::make_unique<Network>()) {
  const auto in_unit_range = [](float value) { return value >= 0 && value <= 1; };
  if (!in_unit_range(settings_.score_threshold) || !in_unit_range(settings_.nms_threshold)) {
    throw std::invalid_argument(
        "blazeface face detector: score_threshold and nms_threshold must lie in [0, 1]");
  }
  const std::string path = settings_.model.string();
  if (!std::filesystem::is_regular_file(settings_.model)) {
    throw std::runtime_error("blazeface face detector: model file '" + path + "' does not exist");
  }
  try {
    network_->net = cv::dnn::readNetFromONNX(path);
  } catch (const cv::Exception& error) {
    throw std::runtime_error("blazeface face detector: OpenCV cannot load '" + path +
                             "' as ONNX: " + error.what());
  }
  network_->output_names = network_->net.getUnconnectedOutLayersNames();
  if (network_->output_names.size() != 4) {
    throw std::runtime_error("blazeface face detector: '" + path + "' has " +
                             std::to_string(network_->output_names.size()) +
                             " outputs; BlazeFace's front model has 4");
  }
}

BlazeFaceDetector::~BlazeFaceDetector() = default;

std::vector<DetectedFace> BlazeFaceDetector::detect(const Image& image) {
  require_pixels(image, "blazeface face detector");
  const Letterbox letterbox = fit_square(image.width, image.height);
  const cv::Mat input = make_input(image, letterbox);

  std::vector<cv::Mat> outputs;
  {
    std::lock_guard lock(mutex_);
    network_->net.setInput(input);
    network_->net.forward(outputs, network_->output_names);
  }

  // Outputs are told apart by shape: scores [1, n, 1], regressors [1, n, 16], for the 16×16
  // grid (512 anchors) then the 8×8 grid (384).
  const std::size_t total = anchors_.size();
  std::vector<float> logits(total);
  std::vector<float> regressors(total * kBlazeFaceRegressors);
  std::size_t filled_scores = 0;
  std::size_t filled_regressors = 0;
  for (std::size_t grid_anchors : {std::size_t{512}, std::size_t{384}}) {
    for (const cv::Mat& output : outputs) {
      if (output.dims != 3 || static_cast<std::size_t>(output.size[1]) != grid_anchors) continue;
      const float* data = output.ptr<float>();
      const std::size_t count = output.total();
      if (output.size[2] == 1 && filled_scores + count <= total) {
        std::copy(data, data + count, logits.begin() + static_cast<long>(filled_scores));
        filled_scores += count;
      } else if (output.size[2] == kBlazeFaceRegressors &&
                 filled_regressors + count <= regressors.size()) {
        std::copy(data, data + count, regressors.begin() + static_cast<long>(filled_regressors));
        filled_regressors += count;
      }
    }
  }
  if (filled_scores != total || filled_regressors != regressors.size()) {
    throw std::runtime_error("blazeface face detector: '" + settings_.model.string() +
                             "' did not produce BlazeFace's 896-anchor outputs");
  }

  std::vector<BlazeFaceCandidate> candidates;
  std::vector<cv::Rect2d> rects;
  std::vector<float> scores;
  for (std::size_t i = 0; i < total; ++i) {
    const BlazeFaceCandidate candidate = decode_blazeface_anchor(
        &regressors[i * kBlazeFaceRegressors], logits[i], anchors_[i], kInputSize);
    if (candidate.score < settings_.score_threshold) continue;
    candidates.push_back(candidate);
    rects.emplace_back(candidate.x_min, candidate.y_min, candidate.width, candidate.height);
    scores.push_back(candidate.score);
  }
  std::vector<int> kept;
  cv::dnn::NMSBoxes(rects, scores, settings_.score_threshold, settings_.nms_threshold, kept);

  // Model-input [0, 1] coordinates back to frame pixels.
  const auto to_x = [&](float x) { return (x * kInputSize - letterbox.left) / letterbox.scale_x; };
  const auto to_y = [&](float y) { return (y * kInputSize - letterbox.top) / letterbox.scale_y; };
  const auto frame_width = static_cast<float>(image.width);
  const auto frame_height = static_cast<float>(image.height);
  std::vector<DetectedFace> faces;
  for (int index : kept) {
    const BlazeFaceCandidate& candidate = candidates[static_cast<std::size_t>(index)];
    const float x0 = std::clamp(to_x(candidate.x_min), 0.0f, frame_width);
    const float y0 = std::clamp(to_y(candidate.y_min), 0.0f, frame_height);
    const float x1 = std::clamp(to_x(candidate.x_min + candidate.width), 0.0f, frame_width);
    const float y1 = std::clamp(to_y(candidate.y_min + candidate.height), 0.0f, frame_height);
    if (x1 <= x0 || y1 <= y0) continue;
    DetectedFace face;
    face.box = Box{x0, y0, x1 - x0, y1 - y0};
    face.score = candidate.score;
    for (int k = 0; k < kBlazeFaceKeypoints; ++k) {
      face.landmarks.push_back(
          Point{to_x(candidate.keypoints[2 * k]), to_y(candidate.keypoints[2 * k + 1])});
    }
    faces.push_back(std::move(face));
  }
  sort_largest_first(faces);
  return faces;
}

}  // namespace seer::faces
