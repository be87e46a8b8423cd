// The raw YOLOv8 head decoder on hand-built [84, N] tensors: thresholds, best class per anchor,
// class-wise NMS.

#include "yolo_decoder.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <vector>

namespace seer::objects {
namespace {

constexpr int kChannels = 84;

// A [84, anchors] tensor, channel-major like the ONNX output, all zero until set.
class RawOutput {
 public:
  explicit RawOutput(int anchors) : anchors_(anchors), values_(kChannels * anchors, 0.0f) {}

  void set_box(int anchor, float cx, float cy, float w, float h) {
    at(0, anchor) = cx;
    at(1, anchor) = cy;
    at(2, anchor) = w;
    at(3, anchor) = h;
  }
  void set_score(int anchor, int class_id, float score) { at(4 + class_id, anchor) = score; }

  std::vector<ModelDetection> decode(float score = 0.25f, float nms = 0.45f) const {
    return decode_yolov8_raw(values_, kChannels, anchors_, {score, nms});
  }

 private:
  float& at(int channel, int anchor) {
    return values_[static_cast<std::size_t>(channel * anchors_ + anchor)];
  }
  int anchors_;
  std::vector<float> values_;
};

TEST(YoloV8RawDecoder, TurnsCentreAndSizeIntoCornersAboveTheThreshold) {
  RawOutput output(4);
  output.set_box(1, 100, 200, 40, 80);
  output.set_score(1, 16, 0.9f);  // dog
  output.set_box(2, 300, 300, 10, 10);
  output.set_score(2, 0, 0.2f);  // under the threshold

  const std::vector<ModelDetection> detections = output.decode();
  ASSERT_EQ(detections.size(), 1u);
  EXPECT_EQ(detections[0].class_id, 16);
  EXPECT_FLOAT_EQ(detections[0].score, 0.9f);
  EXPECT_FLOAT_EQ(detections[0].x_min, 80);
  EXPECT_FLOAT_EQ(detections[0].y_min, 160);
  EXPECT_FLOAT_EQ(detections[0].x_max, 120);
  EXPECT_FLOAT_EQ(detections[0].y_max, 240);

  EXPECT_EQ(output.decode(0.1f).size(), 2u);
}

TEST(YoloV8RawDecoder, KeepsOnlyEachAnchorsBestClass) {
  RawOutput output(1);
  output.set_box(0, 50, 50, 20, 20);
  output.set_score(0, 2, 0.6f);
  output.set_score(0, 7, 0.8f);  // truck beats car
  const std::vector<ModelDetection> detections = output.decode();
  ASSERT_EQ(detections.size(), 1u);
  EXPECT_EQ(detections[0].class_id, 7);
}

TEST(YoloV8RawDecoder, SuppressesOverlapsWithinAClassOnly) {
  RawOutput output(5);
  // Two people overlapping (IoU 0.90): the stronger stays.
  output.set_box(0, 100, 100, 100, 100);
  output.set_score(0, 0, 0.7f);
  output.set_box(1, 105, 100, 100, 100);
  output.set_score(1, 0, 0.9f);
  // A dog on the same spot: another class, kept.
  output.set_box(2, 100, 100, 100, 100);
  output.set_score(2, 16, 0.5f);
  // A person far away: kept.
  output.set_box(3, 500, 500, 50, 50);
  output.set_score(3, 0, 0.4f);
  // A person overlapping a little (IoU 0.18): kept.
  output.set_box(4, 175, 100, 100, 100);
  output.set_score(4, 0, 0.3f);

  const std::vector<ModelDetection> detections = output.decode();
  ASSERT_EQ(detections.size(), 4u);
  // Highest score first.
  EXPECT_EQ(detections[0].class_id, 0);
  EXPECT_FLOAT_EQ(detections[0].score, 0.9f);
  EXPECT_FLOAT_EQ(detections[0].x_min, 55);
  EXPECT_EQ(detections[1].class_id, 16);
  EXPECT_FLOAT_EQ(detections[2].score, 0.4f);
  EXPECT_FLOAT_EQ(detections[3].score, 0.3f);

  // A stricter NMS drops the slightly overlapping one too.
  EXPECT_EQ(output.decode(0.25f, 0.1f).size(), 3u);
}

TEST(YoloV8RawDecoder, RefusesATensorOfTheWrongSize) {
  const std::vector<float> values(84 * 10);
  EXPECT_THROW(decode_yolov8_raw(values, 84, 11, {}), std::invalid_argument);
  EXPECT_THROW(decode_yolov8_raw(values, 4, 210, {}), std::invalid_argument);
}

TEST(YoloV8RawDecoder, IgnoresNotANumber) {
  RawOutput output(1);
  output.set_box(0, 50, 50, 20, 20);
  output.set_score(0, 0, std::numeric_limits<float>::quiet_NaN());
  EXPECT_TRUE(output.decode().empty());
}

}  // namespace
}  // namespace seer::objects
