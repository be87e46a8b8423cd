// BlazeFace through OpenCV dnn on the real photos, compared with the Haar detector's boxes.

#include "blazeface_detector.hpp"
#include "haar_face_detector.hpp"

#include "face_test_assets.hpp"

#include <seer/image_io.hpp>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <stdexcept>

namespace seer::faces {
namespace {

using test::intersection_over_union;
using test::load_photo;

BlazeFaceSettings settings() {
  BlazeFaceSettings result;
  result.model = test::blazeface_model();
  return result;
}

bool inside(const Point& point, const Box& box) {
  return point.x >= box.x && point.x <= box.x + box.width && point.y >= box.y &&
         point.y <= box.y + box.height;
}

void expect_face_like_haar(const char* photo) {
  const Image image = load_photo(photo);
  BlazeFaceDetector blazeface(settings());
  HaarFaceDetector haar({});
  const std::vector<DetectedFace> faces = blazeface.detect(image);
  const std::vector<DetectedFace> haar_faces = haar.detect(image);
  ASSERT_EQ(faces.size(), 1u) << photo;
  ASSERT_EQ(haar_faces.size(), 1u) << photo;

  const DetectedFace& face = faces[0];
  EXPECT_GT(intersection_over_union(face.box, haar_faces[0].box), 0.5f) << photo;
  EXPECT_GE(face.score, 0.75f);
  EXPECT_LE(face.score, 1.0f);
  ASSERT_EQ(face.landmarks.size(), 6u);
  for (std::size_t k = 0; k < 4; ++k) {  // eyes, nose and mouth lie inside the box
    EXPECT_TRUE(inside(face.landmarks[k], face.box)) << photo << " landmark " << k;
  }
  // The subject's right eye is on the image's left.
  EXPECT_LT(face.landmarks[0].x, face.landmarks[1].x);
  // Eyes above the nose, nose above the mouth.
  EXPECT_LT(face.landmarks[0].y, face.landmarks[2].y);
  EXPECT_LT(face.landmarks[2].y, face.landmarks[3].y);
}

TEST(BlazeFaceDetector, FindsGraceHopperWhereHaarDoes) {
  expect_face_like_haar("photos/grace_hopper.jpg");
}

TEST(BlazeFaceDetector, FindsTheAstronautWhereHaarDoes) {
  expect_face_like_haar("photos/astronaut.png");
}

TEST(BlazeFaceDetector, FindsNoFaceInAStreetScene) {
  BlazeFaceDetector detector(settings());
  EXPECT_TRUE(detector.detect(load_photo("darknet/data/person.jpg")).empty());
}

TEST(BlazeFaceDetector, ALowerThresholdNeverLosesFaces) {
  const Image image = load_photo("photos/grace_hopper.jpg");
  BlazeFaceSettings strict = settings();
  strict.score_threshold = 0.99f;
  BlazeFaceSettings loose = settings();
  loose.score_threshold = 0.5f;
  EXPECT_TRUE(BlazeFaceDetector(strict).detect(image).empty());
  EXPECT_GE(BlazeFaceDetector(loose).detect(image).size(), 1u);
}

TEST(BlazeFaceDetector, FindsNothingInTinyOrExtremeFrames) {
  BlazeFaceDetector detector(settings());
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(10000, 1), cv::Size(1, 10000)}) {
    const Image frame = image_io::image_from_mat(cv::Mat(size, CV_8UC3, cv::Scalar::all(128)));
    EXPECT_TRUE(detector.detect(frame).empty()) << size;
  }
}

TEST(BlazeFaceDetector, RefusesAnEmptyImage) {
  BlazeFaceDetector detector(settings());
  EXPECT_THROW(detector.detect(Image{}), std::invalid_argument);
}

TEST(BlazeFaceDetector, NamesAModelItCannotUse) {
  BlazeFaceSettings missing = settings();
  missing.model = "/nonexistent/blazeface.onnx";
  try {
    BlazeFaceDetector detector(missing);
    FAIL() << "a missing model was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/blazeface.onnx"), std::string::npos);
  }

  BlazeFaceSettings not_onnx = settings();
  not_onnx.model = test::kHaarCascade;
  EXPECT_THROW(BlazeFaceDetector detector(not_onnx), std::runtime_error);

  BlazeFaceSettings bad_threshold = settings();
  bad_threshold.score_threshold = 1.5f;
  EXPECT_THROW(BlazeFaceDetector detector(bad_threshold), std::invalid_argument);
}

}  // namespace
}  // namespace seer::faces
