#include "letterbox.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace seer::objects {

Letterbox::Letterbox(int frame_width, int frame_height, int input_width, int input_height)
    : frame_width_(frame_width),
      frame_height_(frame_height),
      input_width_(input_width),
      input_height_(input_height) {
  if (frame_width <= 0 || frame_height <= 0 || input_width <= 0 || input_height <= 0) {
    throw std::invalid_argument("letterbox: sizes must be positive, got frame " +
                                std::to_string(frame_width) + "x" + std::to_string(frame_height) +
                                " and input " + std::to_string(input_width) + "x" +
                                std::to_string(input_height));
  }
  const double scale = std::min(static_cast<double>(input_width) / frame_width,
                                static_cast<double>(input_height) / frame_height);
  scaled_width_ = std::clamp(static_cast<int>(std::lround(frame_width * scale)), 1, input_width);
  scaled_height_ = std::clamp(static_cast<int>(std::lround(frame_height * scale)), 1, input_height);
  left_ = (input_width - scaled_width_) / 2;
  top_ = (input_height - scaled_height_) / 2;
}

cv::Mat Letterbox::apply(const cv::Mat& frame, unsigned char fill) const {
  cv::Mat input(input_height_, input_width_, frame.type(), cv::Scalar::all(fill));
  cv::Mat target = input(cv::Rect(left_, top_, scaled_width_, scaled_height_));
  if (frame.cols == scaled_width_ && frame.rows == scaled_height_) {
    frame.copyTo(target);
  } else {
    cv::resize(frame, target, target.size(), 0, 0, cv::INTER_LINEAR);
  }
  return input;
}

Box Letterbox::to_frame(float x_min, float y_min, float x_max, float y_max) const {
  const float scale_x = static_cast<float>(scaled_width_) / static_cast<float>(frame_width_);
  const float scale_y = static_cast<float>(scaled_height_) / static_cast<float>(frame_height_);
  const auto width = static_cast<float>(frame_width_);
  const auto height = static_cast<float>(frame_height_);
  const float x0 = std::clamp((x_min - static_cast<float>(left_)) / scale_x, 0.0f, width);
  const float y0 = std::clamp((y_min - static_cast<float>(top_)) / scale_y, 0.0f, height);
  const float x1 = std::clamp((x_max - static_cast<float>(left_)) / scale_x, x0, width);
  const float y1 = std::clamp((y_max - static_cast<float>(top_)) / scale_y, y0, height);
  return Box{x0, y0, x1 - x0, y1 - y0};
}

}  // namespace seer::objects
