#include "haar_face_detector.hpp"

#include "face_ordering.hpp"

#include <seer/image_io.hpp>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace seer::faces {

HaarFaceDetector::HaarFaceDetector(HaarSettings settings)
    : settings_(std::move(settings)), cascade_(std::make_unique<cv::CascadeClassifier>()) {
  if (settings_.scale_factor <= 1.0) {
    throw std::invalid_argument("haar face detector: scale_factor must be above 1, got " +
                                std::to_string(settings_.scale_factor));
  }
  if (settings_.min_neighbors < 0 || settings_.min_size < 1 || settings_.max_width < 0) {
    throw std::invalid_argument(
        "haar face detector: min_neighbors must be >= 0, min_size >= 1 and max_width >= 0");
  }
  const std::string path = settings_.cascade.string();
  if (!std::filesystem::is_regular_file(settings_.cascade)) {
    throw std::runtime_error("haar face detector: cascade file '" + path + "' does not exist");
  }
  std::string reason = "not an OpenCV cascade classifier (XML)";
  bool loaded = false;
  try {
    loaded = cascade_->load(path) && !cascade_->empty();
  } catch (const cv::Exception& error) {  // thrown for files that are not XML or YAML at all
    reason += ": " + error.msg;
  }
  if (!loaded) throw std::runtime_error("haar face detector: '" + path + "' is " + reason);
}

HaarFaceDetector::~HaarFaceDetector() = default;

std::vector<DetectedFace> HaarFaceDetector::detect(const Image& image) {
  require_pixels(image, "haar face detector");
  const cv::Mat source = image_io::mat_view(image);
  cv::Mat gray;
  if (source.channels() == 1) {
    gray = source;
  } else {
    cv::cvtColor(source, gray,
                 image.format == PixelFormat::rgb8 ? cv::COLOR_RGB2GRAY : cv::COLOR_BGR2GRAY);
  }

  double scale = 1.0;  // detection pixels per frame pixel
  if (settings_.max_width > 0 && gray.cols > settings_.max_width) {
    scale = static_cast<double>(settings_.max_width) / gray.cols;
    const int height = std::max(1, static_cast<int>(std::lround(gray.rows * scale)));
    cv::Mat small;
    cv::resize(gray, small, cv::Size(settings_.max_width, height), 0, 0, cv::INTER_AREA);
    gray = small;
  }
  const int min_side = std::max(1, static_cast<int>(std::lround(settings_.min_size * scale)));

  std::vector<cv::Rect> rects;
  {
    std::lock_guard lock(mutex_);
    cascade_->detectMultiScale(gray, rects, settings_.scale_factor, settings_.min_neighbors, 0,
                               cv::Size(min_side, min_side));
  }

  std::vector<DetectedFace> faces;
  faces.reserve(rects.size());
  for (const cv::Rect& rect : rects) {
    DetectedFace face;
    face.box = Box{static_cast<float>(rect.x / scale), static_cast<float>(rect.y / scale),
                   static_cast<float>(rect.width / scale), static_cast<float>(rect.height / scale)};
    face.score = 1.0f;
    faces.push_back(face);
  }
  sort_largest_first(faces);
  return faces;
}

}  // namespace seer::faces
