// The objects plugin's configuration and the service it provides, driven directly (no dlopen).

#include "objects_plugin.hpp"
#include "coco_labels.hpp"

#include "object_test_support.hpp"

#include <seer/bus.hpp>
#include <seer/executor.hpp>
#include <seer/health.hpp>
#include <seer/service_registry.hpp>

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include <unistd.h>
#include <fstream>
#include <stdexcept>
#include <string>

namespace seer::objects {
namespace {

ConfigNode yaml(std::string_view text) {
  return ConfigNode::load_string(text, "objects-test.yaml");
}

ConfigError config_error(std::string_view text) {
  try {
    read_objects_settings(yaml(text));
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return ConfigError({}, {}, "no error");
}

TEST(ObjectsSettings, DefaultsToTheStubbedHailoWithCocoLabels) {
  const ObjectsSettings settings = read_objects_settings(yaml("{}"));
  EXPECT_EQ(settings.backend, Backend::hailo);
  EXPECT_TRUE(settings.hef.empty());
  EXPECT_EQ(settings.input_size, 640);
  EXPECT_FLOAT_EQ(settings.score_threshold, 0.25f);
  EXPECT_FLOAT_EQ(settings.nms_threshold, 0.45f);
  EXPECT_EQ(settings.labels, coco80_labels());
  EXPECT_EQ(settings.stub_script->length(), 0u);
}

TEST(ObjectsSettings, BuiltInLabelsAreCocosEighty) {
  const std::vector<std::string>& labels = coco80_labels();
  ASSERT_EQ(labels.size(), 80u);
  EXPECT_EQ(labels[0], "person");
  EXPECT_EQ(labels[2], "car");
  EXPECT_EQ(labels[16], "dog");
  EXPECT_EQ(labels[79], "toothbrush");
  // darknet's coco.names has the same classes in the same order, six spelt differently.
  const std::vector<std::string> darknet = read_labels_file(test::asset("darknet/data/coco.names"));
  ASSERT_EQ(darknet.size(), 80u);
  int differences = 0;
  for (std::size_t i = 0; i < 80; ++i) differences += labels[i] != darknet[i] ? 1 : 0;
  EXPECT_EQ(differences, 6);
  EXPECT_EQ(darknet[3], "motorbike");
  EXPECT_EQ(labels[3], "motorcycle");
}

TEST(ObjectsSettings, ReadsEveryKey) {
  const std::string names = test::asset("darknet/data/coco.names").string();
  const ObjectsSettings settings = read_objects_settings(yaml(R"(
backend: opencv-dnn
hef: /models/yolov8n.hef
onnx: /models/yolov8n.onnx
input_size: 320
score_threshold: 0.5
nms_threshold: 0.6
labels: )" + names + R"(
stub:
  loop: false
  frames:
    - detections: [{label: motorbike, score: 0.9, box: [0, 0, 1, 1]}]
)"));
  EXPECT_EQ(settings.backend, Backend::opencv_dnn);
  EXPECT_EQ(settings.hef, "/models/yolov8n.hef");
  EXPECT_EQ(settings.onnx, "/models/yolov8n.onnx");
  EXPECT_EQ(settings.input_size, 320);
  EXPECT_FLOAT_EQ(settings.score_threshold, 0.5f);
  EXPECT_FLOAT_EQ(settings.nms_threshold, 0.6f);
  EXPECT_EQ(settings.labels_file, names);
  EXPECT_EQ(settings.labels.at(3), "motorbike");  // scripts use the configured labels
  EXPECT_FALSE(settings.stub_script->loop());
  EXPECT_EQ(settings.stub_script->frame(0).at(0).class_id, 3);
}

TEST(ObjectsSettings, PointsAtTheOffendingKey) {
  EXPECT_EQ(config_error("backend: coral\n").key_path(), "backend");
  EXPECT_EQ(config_error("backend: opencv-dnn\n").message(),
            "backend 'opencv-dnn' needs 'onnx': the path of a YOLOv8 ONNX export");
  EXPECT_EQ(config_error("input_size: 100\n").key_path(), "input_size");
  EXPECT_EQ(config_error("score_threshold: -1\n").key_path(), "score_threshold");
  EXPECT_EQ(config_error("nms_threshold: high\n").key_path(), "nms_threshold");
  EXPECT_EQ(config_error("labels: /nonexistent/names.txt\n").key_path(), "labels");
  EXPECT_EQ(config_error("stub: {script: a.json, frames: []}\n").key_path(), "stub.script");
  EXPECT_EQ(
      config_error("stub: {frames: [{detections: [{label: cat, box: [0,0,1,1]}]}]}\n").key_path(),
      "stub.frames[0].detections[0]");
}

TEST(ObjectsSettings, SchemaListsEveryKeyItReads) {
  EXPECT_TRUE(objects_config_schema()
                  .validate(yaml(R"(
backend: hailo
hef: a.hef
onnx: a.onnx
input_size: 640
score_threshold: 0.25
nms_threshold: 0.45
labels: names.txt
stub:
  loop: true
  frames:
    - repeat: 2
      detections: [{label: person, score: 0.9, box: [0, 0, 1, 1]}, {class_id: 1, score: 1, box: [0, 0, 1, 1]}]
)"))
                  .empty());
  EXPECT_TRUE(objects_config_schema().validate(yaml("stub: {script: s.json}\n")).empty());
}

class ObjectsPluginTest : public ::testing::Test {
 protected:
  Executor executor{1};
  Bus bus{executor};
  ServiceRegistry registry;
  HealthReporter health;
  PluginContext context{
      "objects", bus,    registry, executor, std::make_shared<spdlog::logger>("objects-test"),
      health,    nullptr};
};

TEST_F(ObjectsPluginTest, ProvidesTheStubbedHailoFromAScriptFile) {
  const std::filesystem::path script = std::filesystem::temp_directory_path() /
                                       ("seer-objects-" + std::to_string(::getpid()) + ".json");
  std::ofstream(script) << R"({"frames": [{"detections": [
      {"label": "dog", "score": 0.8, "box": [0.25, 0.25, 0.75, 0.75]}]}]})";
  ObjectsPlugin plugin;
  plugin.configure(yaml("stub: {script: " + script.string() + "}\n"));
  std::filesystem::remove(script);
  plugin.start(context);

  EXPECT_EQ(health.current().state, HealthState::ready);
  EXPECT_NE(health.current().reason.find("SIMULATED"), std::string::npos);
  const auto detector = registry.get<ObjectDetector>("objects");
  EXPECT_NE(detector->provenance().find("hailo-stub"), std::string::npos);
  const std::vector<DetectedObject> objects =
      detector->detect(test::solid_frame(640, 640, cv::Scalar::all(0)));
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].label, "dog");
  test::expect_box(objects[0].box, Box{160, 160, 320, 320});
  plugin.stop();
}

TEST_F(ObjectsPluginTest, ProvidesTheOnnxBackend) {
  ObjectsPlugin plugin;
  plugin.configure(yaml("backend: opencv-dnn\nonnx: " + test::kTinyYolo.string() + "\n"));
  plugin.start(context);
  const auto detector = registry.get<ObjectDetector>("objects");
  EXPECT_EQ(detector->detect(test::solid_frame(640, 640, cv::Scalar(0, 0, 255))).at(0).label,
            "person");
  EXPECT_EQ(health.current().reason, detector->provenance());
  plugin.stop();
}

TEST_F(ObjectsPluginTest, StartFailsClearlyWhenAFileIsMissing) {
  for (const char* config : {"backend: opencv-dnn\nonnx: /nonexistent/yolo.onnx\n",
                             "backend: hailo\nhef: /nonexistent/yolov8n.hef\n"}) {
    ObjectsPlugin plugin;
    plugin.configure(yaml(config));
    try {
      plugin.start(context);
      ADD_FAILURE() << "started with " << config;
    } catch (const std::runtime_error& error) {
      EXPECT_NE(std::string(error.what()).find("/nonexistent/"), std::string::npos);
    }
    EXPECT_EQ(registry.find<ObjectDetector>("objects"), nullptr);
  }
}

}  // namespace
}  // namespace seer::objects
