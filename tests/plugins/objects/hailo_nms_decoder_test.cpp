// HailoRT's NMS-by-class layout, hand-built: per class a count, then count × [y_min, x_min,
// y_max, x_max, score] normalised to the input.

#include "yolo_decoder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace seer::objects {
namespace {

// Classes 0..num_classes-1 with no boxes, then boxes added class by class.
class NmsBuffer {
 public:
  explicit NmsBuffer(int num_classes) : boxes_(static_cast<std::size_t>(num_classes)) {}

  void add(int class_id, float y_min, float x_min, float y_max, float x_max, float score) {
    boxes_[static_cast<std::size_t>(class_id)].push_back({y_min, x_min, y_max, x_max, score});
  }

  std::vector<float> floats() const {
    std::vector<float> out;
    for (const auto& group : boxes_) {
      out.push_back(static_cast<float>(group.size()));
      for (const auto& box : group) out.insert(out.end(), box.begin(), box.end());
    }
    return out;
  }

 private:
  std::vector<std::vector<std::vector<float>>> boxes_;
};

TEST(HailoNmsDecoder, ReadsEveryClassAndScalesToInputPixels) {
  NmsBuffer buffer(80);
  buffer.add(0, 0.25f, 0.5f, 0.75f, 1.0f, 0.9f);    // person
  buffer.add(0, 0.0f, 0.0f, 0.125f, 0.25f, 0.6f);   // another person
  buffer.add(79, 0.5f, 0.25f, 0.625f, 0.5f, 0.7f);  // toothbrush, the last class

  const std::vector<ModelDetection> detections =
      decode_hailo_nms_by_class(buffer.floats(), 80, 0.25f, 640, 480);
  ASSERT_EQ(detections.size(), 3u);
  EXPECT_EQ(detections[0].class_id, 0);
  EXPECT_FLOAT_EQ(detections[0].score, 0.9f);
  EXPECT_FLOAT_EQ(detections[0].x_min, 320);
  EXPECT_FLOAT_EQ(detections[0].y_min, 120);
  EXPECT_FLOAT_EQ(detections[0].x_max, 640);
  EXPECT_FLOAT_EQ(detections[0].y_max, 360);
  EXPECT_EQ(detections[1].class_id, 79);
  EXPECT_FLOAT_EQ(detections[1].x_min, 160);
  EXPECT_FLOAT_EQ(detections[1].y_max, 300);
  EXPECT_EQ(detections[2].class_id, 0);
  EXPECT_FLOAT_EQ(detections[2].x_max, 160);
}

TEST(HailoNmsDecoder, DropsBoxesUnderTheThreshold) {
  NmsBuffer buffer(3);
  buffer.add(1, 0, 0, 1, 1, 0.3f);
  buffer.add(2, 0, 0, 1, 1, 0.8f);
  const std::vector<ModelDetection> detections =
      decode_hailo_nms_by_class(buffer.floats(), 3, 0.5f, 640, 640);
  ASSERT_EQ(detections.size(), 1u);
  EXPECT_EQ(detections[0].class_id, 2);
}

TEST(HailoNmsDecoder, AllowsTrailingPaddingAfterTheLastClass) {
  NmsBuffer buffer(2);
  buffer.add(1, 0, 0, 0.5f, 0.5f, 0.9f);
  std::vector<float> floats = buffer.floats();
  floats.resize(floats.size() + 50, 0.0f);  // HailoRT's buffer is sized for the maximum
  EXPECT_EQ(decode_hailo_nms_by_class(floats, 2, 0.25f, 640, 640).size(), 1u);
}

TEST(HailoNmsDecoder, RefusesMalformedBuffers) {
  NmsBuffer buffer(2);
  buffer.add(0, 0, 0, 1, 1, 0.9f);
  std::vector<float> floats = buffer.floats();

  std::vector<float> truncated(floats.begin(), floats.end() - 2);
  EXPECT_THROW(decode_hailo_nms_by_class(truncated, 2, 0.25f, 640, 640), std::invalid_argument);

  std::vector<float> too_many = floats;
  too_many[0] = 3;
  EXPECT_THROW(decode_hailo_nms_by_class(too_many, 2, 0.25f, 640, 640), std::invalid_argument);

  std::vector<float> negative = floats;
  negative[0] = -1;
  EXPECT_THROW(decode_hailo_nms_by_class(negative, 2, 0.25f, 640, 640), std::invalid_argument);

  std::vector<float> fractional = floats;
  fractional[0] = 0.5f;
  EXPECT_THROW(decode_hailo_nms_by_class(fractional, 2, 0.25f, 640, 640), std::invalid_argument);

  // More classes than the buffer holds.
  EXPECT_THROW(decode_hailo_nms_by_class(floats, 3, 0.25f, 640, 640), std::invalid_argument);
}

}  // namespace
}  // namespace seer::objects
