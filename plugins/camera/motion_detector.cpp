#include "motion_detector.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace seer::camera {
namespace {

// Blur kernel on the downscaled frame: smooths sensor noise and compression artefacts.
constexpr int kBlurKernel = 5;
// Dilation joins the fragments of one moving object into one region.
constexpr int kDilateIterations = 2;

}  // namespace

std::string_view to_string(MotionEvent::Kind kind) {
  return kind == MotionEvent::Kind::start ? "start" : "stop";
}

MotionDetector::MotionDetector(MotionSettings settings) : settings_(settings) {}

MotionDetector::Measurement MotionDetector::measure(const cv::Mat& frame) {
  if (frame.empty() || frame.depth() != CV_8U || (frame.channels() != 1 && frame.channels() != 3)) {
    throw std::invalid_argument("motion detection needs an 8-bit BGR or grey frame");
  }
  const double scale = std::min(1.0, static_cast<double>(settings_.frame_height) / frame.rows);
  const cv::Size small_size(std::max(1, static_cast<int>(std::lround(frame.cols * scale))),
                            std::max(1, static_cast<int>(std::lround(frame.rows * scale))));
  cv::Mat small;
  cv::resize(frame, small, small_size, 0, 0, cv::INTER_AREA);
  cv::Mat grey;
  if (small.channels() == 3) {
    cv::cvtColor(small, grey, cv::COLOR_BGR2GRAY);
  } else {
    grey = small;
  }
  cv::Mat blurred;
  cv::GaussianBlur(grey, blurred, cv::Size(kBlurKernel, kBlurKernel), 0);

  Measurement measurement;
  if (background_.size() != blurred.size()) {
    // The first frame (or a new frame size) only sets the background.
    blurred.convertTo(background_, CV_32F);
    return measurement;
  }
  cv::Mat background;
  background_.convertTo(background, CV_8U);
  cv::Mat changed;
  cv::absdiff(blurred, background, changed);
  cv::threshold(changed, changed, settings_.threshold, 255, cv::THRESH_BINARY);
  cv::dilate(changed, changed, cv::Mat(), cv::Point(-1, -1), kDilateIterations);
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(changed, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);

  const double frame_area = static_cast<double>(small_size.area());
  const double min_area =
      settings_.min_area >= 1 ? settings_.min_area : settings_.min_area * frame_area;
  double changed_area = 0;
  for (const auto& contour : contours) {
    const double area = cv::contourArea(contour);
    if (area < min_area) continue;
    changed_area += area;
    const cv::Rect box = cv::boundingRect(contour);
    // Back to the fed frame's pixels.
    const auto x = static_cast<int>(box.x / scale);
    const auto y = static_cast<int>(box.y / scale);
    const int right =
        std::min(frame.cols, static_cast<int>(std::ceil((box.x + box.width) / scale)));
    const int bottom =
        std::min(frame.rows, static_cast<int>(std::ceil((box.y + box.height) / scale)));
    measurement.boxes.emplace_back(x, y, right - x, bottom - y);
  }
  measurement.area = std::min(1.0, changed_area / frame_area);
  cv::accumulateWeighted(blurred, background_, settings_.frame_alpha);
  return measurement;
}

std::optional<MotionEvent> MotionDetector::feed(const cv::Mat& frame,
                                                std::chrono::system_clock::time_point at) {
  Measurement measurement = measure(frame);
  const bool moving = !measurement.boxes.empty();
  if (moving) {
    ++frames_with_motion_;
    last_motion_ = at;
  } else {
    frames_with_motion_ = 0;
  }

  if (!active_) {
    const bool cooled_down = !last_stop_ || at - *last_stop_ >= settings_.cooldown;
    if (frames_with_motion_ < settings_.inertia || !cooled_down) return std::nullopt;
    active_ = true;
    return MotionEvent{MotionEvent::Kind::start, measurement.area, std::move(measurement.boxes),
                       at};
  }
  if (moving || at - last_motion_ < settings_.off_delay) return std::nullopt;
  active_ = false;
  last_stop_ = at;
  return MotionEvent{MotionEvent::Kind::stop, 0, {}, at};
}

}  // namespace seer::camera
