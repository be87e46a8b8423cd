// The Hailo backend end to end on the stub device: scripted boxes come back in frame pixels,
// labelled, and marked as simulated.

#include "hailo_object_detector.hpp"
#include "coco_labels.hpp"
#include "stub_hailo_device.hpp"

#include "object_test_support.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace seer::objects {
namespace {

HailoObjectDetector make_detector(std::vector<ScriptedFrame> frames, float threshold = 0.25f) {
  auto script = std::make_shared<DetectionScript>(std::move(frames), true, "scene.json");
  return HailoObjectDetector(std::make_unique<StubHailoDevice>(script), {}, coco80_labels(),
                             threshold, script->source());
}

TEST(HailoObjectDetector, MapsScriptedBoxesThroughTheLetterbox) {
  ScriptedFrame frame;
  // In the 640×640 input of a 1280×720 frame, the picture spans y 140..500.
  frame.detections = {{0, 0.9f, 0.25f, 0.25f, 0.75f, 0.75f},
                      {16, 0.1f, 0.0f, 0.0f, 1.0f, 1.0f},  // under the threshold
                      {2, 0.5f, 0.0f, 0.0f, 0.5f, 0.2f}};  // wholly in the top bar
  HailoObjectDetector detector = make_detector({frame});
  const std::vector<DetectedObject> objects =
      detector.detect(test::solid_frame(1280, 720, cv::Scalar(0, 0, 0)));
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].label, "person");
  EXPECT_EQ(objects[0].class_id, 0);
  EXPECT_FLOAT_EQ(objects[0].score, 0.9f);
  test::expect_box(objects[0].box, Box{320, 40, 640, 640});
}

TEST(HailoObjectDetector, RunsOnARealPhotoFrameAfterFrame) {
  ScriptedFrame dog;
  dog.detections = {{16, 0.8f, 0.1f, 0.5f, 0.4f, 0.9f}};
  HailoObjectDetector detector = make_detector({dog, ScriptedFrame{}});
  const Image photo = test::load_photo("darknet/data/dog.jpg");
  const std::vector<DetectedObject> first = detector.detect(photo);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].label, "dog");
  EXPECT_GE(first[0].box.x, 0);
  EXPECT_LE(first[0].box.x + first[0].box.width, static_cast<float>(photo.width));
  EXPECT_TRUE(detector.detect(photo).empty());
  EXPECT_EQ(detector.detect(photo).size(), 1u);
}

TEST(HailoObjectDetector, SaysItIsSimulated) {
  HailoObjectDetector detector = make_detector({});
  EXPECT_EQ(detector.backend(), "hailo-stub");
  const std::string provenance = detector.provenance();
  EXPECT_NE(provenance.find("hailo-stub"), std::string::npos) << provenance;
  EXPECT_NE(provenance.find("SIMULATED"), std::string::npos) << provenance;
  EXPECT_NE(provenance.find("scene.json"), std::string::npos) << provenance;
  EXPECT_NE(provenance.find("not detected in the image"), std::string::npos) << provenance;
}

TEST(HailoObjectDetector, RefusesBadInput) {
  HailoObjectDetector detector = make_detector({});
  EXPECT_THROW(detector.detect(Image{}), std::invalid_argument);
  auto script = std::make_shared<DetectionScript>();
  EXPECT_THROW(HailoObjectDetector(std::make_unique<StubHailoDevice>(script), {},
                                   std::vector<std::string>{"person"}, 0.25f),
               std::runtime_error);  // 80 classes, 1 label
  EXPECT_THROW(HailoObjectDetector(nullptr, {}, coco80_labels(), 0.25f), std::invalid_argument);
}

}  // namespace
}  // namespace seer::objects
