// The opencv-dnn backend on tests/fixtures/yolo/tiny_yolov8.onnx, a model with YOLOv8n's ONNX
// signature whose output is known: every anchor's box is (220, 220)-(420, 420) in the 640×640
// input; person scores the mean red, car the mean blue, dog the mean green of the anchor's cell.

#include "onnx_object_detector.hpp"
#include "coco_labels.hpp"

#include "object_test_support.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace seer::objects {
namespace {

using test::solid_frame;

OnnxObjectDetector tiny_yolo(float score_threshold = 0.25f) {
  return OnnxObjectDetector({test::kTinyYolo, 640, score_threshold, 0.45f}, coco80_labels());
}

TEST(OnnxObjectDetector, FindsTheFixturesPersonInAFrameOfTheInputSize) {
  OnnxObjectDetector detector = tiny_yolo();
  const std::vector<DetectedObject> objects =
      detector.detect(solid_frame(640, 640, cv::Scalar(0, 0, 255)));
  ASSERT_EQ(objects.size(), 1u);          // 8400 identical boxes, merged by NMS
  EXPECT_EQ(objects[0].label, "person");  // BGR (0, 0, 255) is red: the blob is RGB
  EXPECT_EQ(objects[0].class_id, 0);
  EXPECT_NEAR(objects[0].score, 1.0f, 1e-5f);
  test::expect_box(objects[0].box, Box{220, 220, 200, 200}, 1e-3f);
}

TEST(OnnxObjectDetector, MapsBoxesBackThroughTheGreyLetterbox) {
  OnnxObjectDetector detector = tiny_yolo();
  // Blue 1280×720: in the input it is 640×360 between grey (114) bars. Picture cells score car
  // 1; bar cells score every class 114 / 255, and their best class is the first, person.
  const std::vector<DetectedObject> objects =
      detector.detect(solid_frame(1280, 720, cv::Scalar(255, 0, 0)));
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].label, "car");
  EXPECT_NEAR(objects[0].score, 1.0f, 1e-5f);
  test::expect_box(objects[0].box, Box{440, 160, 400, 400}, 1e-2f);
  // Had the pad not been 114 grey, this score would differ.
  EXPECT_EQ(objects[1].label, "person");
  EXPECT_NEAR(objects[1].score, 114.0f / 255.0f, 1e-4f);
}

TEST(OnnxObjectDetector, SuppressesOverlapsWithinAClassOnly) {
  // Left half blue (car), right half green (dog): the same box for both classes.
  cv::Mat frame(640, 640, CV_8UC3, cv::Scalar(0, 255, 0));
  frame(cv::Rect(0, 0, 320, 640)).setTo(cv::Scalar(255, 0, 0));
  OnnxObjectDetector detector = tiny_yolo();
  const std::vector<DetectedObject> objects = detector.detect(image_io::image_from_mat(frame));
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_NE(objects[0].label, objects[1].label);
  for (const DetectedObject& object : objects) {
    EXPECT_TRUE(object.label == "car" || object.label == "dog") << object.label;
    EXPECT_NEAR(object.score, 1.0f, 1e-5f);
    test::expect_box(object.box, Box{220, 220, 200, 200}, 1e-3f);
  }
}

TEST(OnnxObjectDetector, DropsScoresUnderTheThreshold) {
  const Image dim_red = solid_frame(640, 640, cv::Scalar(0, 0, 50));  // 50 / 255 = 0.196
  EXPECT_TRUE(tiny_yolo(0.25f).detect(dim_red).empty());
  const std::vector<DetectedObject> objects = tiny_yolo(0.1f).detect(dim_red);
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_NEAR(objects[0].score, 50.0f / 255.0f, 1e-4f);
}

TEST(OnnxObjectDetector, RunsOnARealPhoto) {
  OnnxObjectDetector detector = tiny_yolo();
  const Image photo = test::load_photo("darknet/data/person.jpg");
  const std::vector<DetectedObject> objects = detector.detect(photo);
  ASSERT_FALSE(objects.empty());
  for (const DetectedObject& object : objects) {
    EXPECT_GE(object.box.x, 0);
    EXPECT_GE(object.box.y, 0);
    EXPECT_LE(object.box.x + object.box.width, static_cast<float>(photo.width) + 1e-3f);
    EXPECT_LE(object.box.y + object.box.height, static_cast<float>(photo.height) + 1e-3f);
    EXPECT_GT(object.score, 0.25f);
    EXPECT_LE(object.score, 1.0f);
  }
}

TEST(OnnxObjectDetector, CopesWithTinyAndExtremeFrames) {
  OnnxObjectDetector detector = tiny_yolo();
  for (const cv::Size size : {cv::Size(1, 1), cv::Size(10000, 1), cv::Size(1, 10000)}) {
    const Image frame = image_io::image_from_mat(cv::Mat(size, CV_8UC3, cv::Scalar(0, 0, 255)));
    for (const DetectedObject& object : detector.detect(frame)) {
      EXPECT_LE(object.box.x + object.box.width, static_cast<float>(size.width) + 1e-3f);
      EXPECT_LE(object.box.y + object.box.height, static_cast<float>(size.height) + 1e-3f);
    }
  }
}

TEST(OnnxObjectDetector, SaysWhichModelRan) {
  EXPECT_EQ(tiny_yolo().provenance(),
            "backend opencv-dnn: YOLOv8 ONNX model tiny_yolov8.onnx on the CPU (OpenCV dnn)");
}

TEST(OnnxObjectDetector, RefusesBadInputAndModelsThatAreNotYolo) {
  OnnxObjectDetector detector = tiny_yolo();
  EXPECT_THROW(detector.detect(Image{}), std::invalid_argument);

  EXPECT_THROW(OnnxObjectDetector({"/nonexistent/yolov8n.onnx"}, coco80_labels()),
               std::runtime_error);
  EXPECT_THROW(OnnxObjectDetector({test::kTinyYolo, 640, 1.5f, 0.45f}, coco80_labels()),
               std::invalid_argument);
  EXPECT_THROW(OnnxObjectDetector({test::kTinyYolo}, {}), std::invalid_argument);

  // The fixture has 80 classes; 3 labels do not fit its 84 channels.
  OnnxObjectDetector three_labels({test::kTinyYolo}, {"a", "b", "c"});
  try {
    three_labels.detect(solid_frame(64, 64, cv::Scalar::all(0)));
    FAIL() << "an output of the wrong shape was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("[1,84,8400]"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace seer::objects
