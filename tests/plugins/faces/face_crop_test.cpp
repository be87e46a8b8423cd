// The padded region around a face and the crop of the largest face.

#include "seer/faces/face_crop.hpp"

#include "face_test_assets.hpp"

#include <seer/image_io.hpp>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <stdexcept>

namespace seer::faces {
namespace {

void expect_box(const Box& actual, const Box& expected) {
  EXPECT_FLOAT_EQ(actual.x, expected.x);
  EXPECT_FLOAT_EQ(actual.y, expected.y);
  EXPECT_FLOAT_EQ(actual.width, expected.width);
  EXPECT_FLOAT_EQ(actual.height, expected.height);
}

TEST(PaddedFaceBox, GrowsByTheFractionOfTheBoxOnEverySide) {
  expect_box(padded_face_box(Box{100, 200, 50, 100}, 1000, 1000), Box{80, 160, 90, 180});
  expect_box(padded_face_box(Box{100, 200, 50, 100}, 1000, 1000, 0), Box{100, 200, 50, 100});
  expect_box(padded_face_box(Box{100, 200, 50, 100}, 1000, 1000, 1), Box{50, 100, 150, 300});
}

TEST(PaddedFaceBox, RoundsOutwardsToWholePixels) {
  expect_box(padded_face_box(Box{10.5f, 20.2f, 10, 10}, 100, 100, 0), Box{10, 20, 11, 11});
}

TEST(PaddedFaceBox, StaysInsideTheFrame) {
  expect_box(padded_face_box(Box{5, 5, 50, 50}, 60, 40), Box{0, 0, 60, 40});
  const Box outside = padded_face_box(Box{500, 500, 10, 10}, 100, 100);
  EXPECT_FLOAT_EQ(outside.width, 0);
  EXPECT_FLOAT_EQ(outside.height, 0);
}

TEST(PaddedFaceBox, RefusesNegativePadding) {
  EXPECT_THROW(padded_face_box(Box{0, 0, 10, 10}, 100, 100, -0.1f), std::invalid_argument);
}

TEST(CropLargestFace, CutsThePaddedLargestFaceOutOfTheFrame) {
  const Image photo = test::load_photo("photos/grace_hopper.jpg");  // 512×600
  const std::vector<DetectedFace> faces{
      DetectedFace{Box{10, 10, 20, 20}, 0.9f, {}},
      DetectedFace{Box{155, 105, 222, 222}, 0.8f, {}},
  };
  const std::optional<Image> crop = crop_largest_face(photo, faces);
  ASSERT_TRUE(crop.has_value());
  // 155 - 88.8 → 66; 155 + 222 + 88.8 → 466; 105 - 88.8 → 16; 105 + 222 + 88.8 → 416.
  EXPECT_EQ(crop->width, 400);
  EXPECT_EQ(crop->height, 400);
  EXPECT_EQ(crop->format, PixelFormat::bgr8);

  const cv::Mat expected = image_io::mat_view(photo)(cv::Rect(66, 16, 400, 400));
  EXPECT_EQ(cv::norm(image_io::mat_view(*crop), expected, cv::NORM_INF), 0.0);
}

TEST(CropLargestFace, GivesNothingWithoutFaces) {
  const Image photo = test::load_photo("photos/grace_hopper.jpg");
  EXPECT_FALSE(crop_largest_face(photo, {}).has_value());
  EXPECT_FALSE(crop_largest_face(photo, {DetectedFace{Box{900, 900, 10, 10}, 1, {}}}).has_value());
  EXPECT_THROW(crop_largest_face(Image{}, {DetectedFace{}}), std::invalid_argument);
}

}  // namespace
}  // namespace seer::faces
