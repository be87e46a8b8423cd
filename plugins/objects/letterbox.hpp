#pragma once
// Fitting a frame into a detector's fixed input without distorting it (scaled to fit, centred,
// padded), and mapping the detector's boxes back to the frame.

#include <seer/image.hpp>

#include <opencv2/core/mat.hpp>

namespace seer::objects {

class Letterbox {
 public:
  // Throws std::invalid_argument for non-positive sizes.
  Letterbox(int frame_width, int frame_height, int input_width, int input_height);

  // The frame (BGR8, frame-sized) scaled and padded with `fill` to the input size.
  cv::Mat apply(const cv::Mat& frame, unsigned char fill = 114) const;
  // A box given by corners in input pixels, in frame pixels, clamped to the frame.
  Box to_frame(float x_min, float y_min, float x_max, float y_max) const;

  int scaled_width() const { return scaled_width_; }
  int scaled_height() const { return scaled_height_; }
  int left() const { return left_; }
  int top() const { return top_; }

 private:
  int frame_width_;
  int frame_height_;
  int input_width_;
  int input_height_;
  int scaled_width_ = 0;
  int scaled_height_ = 0;
  int left_ = 0;
  int top_ = 0;
};

}  // namespace seer::objects
