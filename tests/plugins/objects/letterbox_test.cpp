// Fitting frames into a square input and mapping boxes back.

#include "letterbox.hpp"

#include "object_test_support.hpp"

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <stdexcept>

namespace seer::objects {
namespace {

TEST(Letterbox, CentresAWideFrameBetweenBars) {
  const Letterbox letterbox(1280, 720, 640, 640);
  EXPECT_EQ(letterbox.scaled_width(), 640);
  EXPECT_EQ(letterbox.scaled_height(), 360);
  EXPECT_EQ(letterbox.left(), 0);
  EXPECT_EQ(letterbox.top(), 140);

  const cv::Mat input = letterbox.apply(cv::Mat(720, 1280, CV_8UC3, cv::Scalar(0, 0, 255)));
  ASSERT_EQ(input.size(), cv::Size(640, 640));
  EXPECT_EQ(input.at<cv::Vec3b>(0, 0), cv::Vec3b(114, 114, 114));
  EXPECT_EQ(input.at<cv::Vec3b>(139, 320), cv::Vec3b(114, 114, 114));
  EXPECT_EQ(input.at<cv::Vec3b>(140, 320), cv::Vec3b(0, 0, 255));
  EXPECT_EQ(input.at<cv::Vec3b>(499, 639), cv::Vec3b(0, 0, 255));
  EXPECT_EQ(input.at<cv::Vec3b>(500, 0), cv::Vec3b(114, 114, 114));
}

TEST(Letterbox, CentresATallFrameBetweenBars) {
  const Letterbox letterbox(512, 600, 640, 640);  // grace_hopper.jpg
  EXPECT_EQ(letterbox.scaled_width(), 546);
  EXPECT_EQ(letterbox.scaled_height(), 640);
  EXPECT_EQ(letterbox.left(), 47);
  EXPECT_EQ(letterbox.top(), 0);
}

TEST(Letterbox, MapsInputBoxesBackToTheFrame) {
  const Letterbox letterbox(1280, 720, 640, 640);
  test::expect_box(letterbox.to_frame(220, 220, 420, 420), Box{440, 160, 400, 400});
  // Parts in the bars are cut off; boxes only in the bars vanish.
  test::expect_box(letterbox.to_frame(-10, 100, 100, 200), Box{0, 0, 200, 120});
  const Box in_bar = letterbox.to_frame(0, 0, 100, 100);
  EXPECT_FLOAT_EQ(in_bar.height, 0);
}

TEST(Letterbox, LeavesAFrameOfTheInputSizeAsItIs) {
  const Letterbox letterbox(640, 640, 640, 640);
  test::expect_box(letterbox.to_frame(1, 2, 3, 4), Box{1, 2, 2, 2});
  const cv::Mat frame(640, 640, CV_8UC3, cv::Scalar(1, 2, 3));
  EXPECT_EQ(cv::norm(letterbox.apply(frame), frame, cv::NORM_INF), 0.0);
}

TEST(Letterbox, RefusesEmptySizes) {
  EXPECT_THROW(Letterbox(0, 720, 640, 640), std::invalid_argument);
  EXPECT_THROW(Letterbox(1280, 720, 640, -1), std::invalid_argument);
}

}  // namespace
}  // namespace seer::objects
