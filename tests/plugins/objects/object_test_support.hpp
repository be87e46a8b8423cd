#pragma once
// Inputs for the object tests: the real photos (through tests/support/test_assets.hpp: a
// missing one fails the test, saying how to fetch it), the tiny YOLOv8 fixture, plain frames.

#include <seer/image.hpp>
#include <seer/image_io.hpp>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "test_assets.hpp"

#include <filesystem>
#include <string>

namespace seer::objects::test {

using seer::test::asset;

inline Image load_photo(const std::string& relative) {
  return image_io::load_image_file(asset(relative));
}

// Outputs 320, 320, 200, 200 as every anchor's box; person = mean red, car = mean blue,
// dog = mean green (see make_tiny_yolov8.py).
inline const std::filesystem::path kTinyYolo =
    std::filesystem::path(SEER_YOLO_FIXTURE_DIR) / "tiny_yolov8.onnx";

inline Image solid_frame(int width, int height, cv::Scalar bgr) {
  return image_io::image_from_mat(cv::Mat(height, width, CV_8UC3, bgr));
}

inline void expect_box(const Box& actual, const Box& expected, float tolerance = 0.01f) {
  EXPECT_NEAR(actual.x, expected.x, tolerance);
  EXPECT_NEAR(actual.y, expected.y, tolerance);
  EXPECT_NEAR(actual.width, expected.width, tolerance);
  EXPECT_NEAR(actual.height, expected.height, tolerance);
}

}  // namespace seer::objects::test
