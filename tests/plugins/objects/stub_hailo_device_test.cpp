// The simulated Hailo-8L: its vstreams, its HailoRT-shaped output and its refusals.

#include "stub_hailo_device.hpp"
#include "yolo_decoder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace seer::objects {
namespace {

std::shared_ptr<const DetectionScript> script_of(std::vector<ScriptedFrame> frames) {
  return std::make_shared<DetectionScript>(std::move(frames), true, "test");
}

std::vector<std::uint8_t> blank_input() { return std::vector<std::uint8_t>(640 * 640 * 3); }

TEST(StubHailoDevice, ScansAsOneSimulatedHailo8L) {
  const std::vector<HailoDeviceInfo> devices = scan_stub_hailo_devices();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].architecture, "HAILO8L");
  EXPECT_TRUE(devices[0].simulated);
  EXPECT_TRUE(StubHailoDevice(script_of({})).info().simulated);
}

TEST(StubHailoDevice, HasYolov8nVStreams) {
  StubHailoDevice device(script_of({}));
  const auto network = device.configure({});
  EXPECT_EQ(network->input_vstream().order, HailoFormatOrder::nhwc);
  EXPECT_EQ(network->input_vstream().width, 640);
  EXPECT_EQ(network->input_vstream().height, 640);
  EXPECT_EQ(network->input_vstream().channels, 3);
  EXPECT_EQ(network->output_vstream().order, HailoFormatOrder::hailo_nms_by_class);
  EXPECT_EQ(network->output_vstream().num_classes, 80);
}

TEST(StubHailoDevice, AnswersInNmsByClassLayoutFrameAfterFrame) {
  ScriptedFrame first;
  first.detections = {{16, 0.6f, 0.1f, 0.2f, 0.3f, 0.4f},
                      {0, 0.5f, 0.5f, 0.5f, 0.6f, 0.7f},
                      {0, 0.9f, 0.0f, 0.0f, 1.0f, 1.0f}};
  StubHailoDevice device(script_of({first, ScriptedFrame{}}));
  const auto network = device.configure({});

  const std::vector<float> output = network->infer(blank_input());
  // Class 0: 2 boxes, best first, [y_min, x_min, y_max, x_max, score].
  ASSERT_GE(output.size(), 11u);
  EXPECT_FLOAT_EQ(output[0], 2);
  EXPECT_EQ(std::vector<float>(output.begin() + 1, output.begin() + 6),
            (std::vector<float>{0.0f, 0.0f, 1.0f, 1.0f, 0.9f}));
  EXPECT_EQ(std::vector<float>(output.begin() + 6, output.begin() + 11),
            (std::vector<float>{0.5f, 0.5f, 0.7f, 0.6f, 0.5f}));
  // 80 counts and 3 boxes in all.
  EXPECT_EQ(output.size(), 80u + 3u * 5u);

  const std::vector<ModelDetection> decoded = decode_hailo_nms_by_class(output, 80, 0, 640, 640);
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_EQ(decoded[1].class_id, 16);
  EXPECT_FLOAT_EQ(decoded[1].x_min, 0.1f * 640);
  EXPECT_FLOAT_EQ(decoded[1].y_max, 0.4f * 640);

  // The next frame is empty: 80 zero counts.
  EXPECT_EQ(network->infer(blank_input()), std::vector<float>(80, 0.0f));
  // Then the script loops.
  EXPECT_EQ(network->infer(blank_input()).size(), 95u);
}

TEST(StubHailoDevice, CapsBoxesPerClassLikeTheHef) {
  ScriptedFrame crowd;
  for (int i = 0; i < 150; ++i) crowd.detections.push_back({0, 0.5f, 0, 0, 0.1f, 0.1f});
  StubHailoDevice device(script_of({crowd}));
  const std::vector<float> output = device.configure({})->infer(blank_input());
  EXPECT_FLOAT_EQ(output[0], 100);
}

TEST(StubHailoDevice, RefusesAMissingHefAndAWrongSizedFrame) {
  StubHailoDevice device(script_of({}));
  EXPECT_THROW(device.configure("/nonexistent/yolov8n.hef"), std::runtime_error);
  const auto network = device.configure({});
  EXPECT_THROW(network->infer(std::vector<std::uint8_t>(100)), std::invalid_argument);
  EXPECT_THROW(StubHailoDevice(nullptr), std::invalid_argument);

  ScriptedFrame beyond;  // with a labels file of more than 80 names
  beyond.detections = {{80, 0.5f, 0, 0, 1, 1}};
  StubHailoDevice too_many_classes(script_of({beyond}));
  EXPECT_THROW(too_many_classes.configure({}), std::runtime_error);
}

}  // namespace
}  // namespace seer::objects
