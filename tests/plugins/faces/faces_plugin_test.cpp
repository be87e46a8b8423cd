// The faces plugin's configuration and the service it provides, driven directly (no dlopen).

#include "faces_plugin.hpp"

#include "face_test_assets.hpp"

#include <seer/bus.hpp>
#include <seer/executor.hpp>
#include <seer/health.hpp>
#include <seer/service_registry.hpp>

#include <gtest/gtest.h>
#include <spdlog/logger.h>

#include <stdexcept>
#include <string>

namespace seer::faces {
namespace {

ConfigNode yaml(std::string_view text) { return ConfigNode::load_string(text, "faces-test.yaml"); }

ConfigError config_error(std::string_view text) {
  try {
    read_faces_settings(yaml(text));
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return ConfigError({}, {}, "no error");
}

TEST(FacesSettings, DefaultsToTheHaarDetectorOfTheGoldenBoxes) {
  const FacesSettings settings = read_faces_settings(yaml("{}"));
  EXPECT_EQ(settings.detector, DetectorKind::haar);
  EXPECT_EQ(settings.haar.cascade, test::kHaarCascade);
  EXPECT_DOUBLE_EQ(settings.haar.scale_factor, 1.1);
  EXPECT_EQ(settings.haar.min_neighbors, 8);
  EXPECT_EQ(settings.haar.min_size, 40);
  EXPECT_EQ(settings.haar.max_width, 640);
  EXPECT_EQ(settings.blazeface.model,
            test::assets_dir() / "blazeface/face_detection_front_128x128_barracuda.onnx");
  EXPECT_FLOAT_EQ(settings.blazeface.score_threshold, 0.75f);
  EXPECT_FLOAT_EQ(settings.blazeface.nms_threshold, 0.3f);
}

TEST(FacesSettings, ReadsEveryKey) {
  const FacesSettings settings = read_faces_settings(yaml(R"(
detector: blazeface
haar: {cascade: /tmp/c.xml, scale_factor: 1.2, min_neighbors: 3, min_size: 24, max_width: 0}
blazeface: {model: /tmp/m.onnx, score_threshold: 0.6, nms_threshold: 0.4}
)"));
  EXPECT_EQ(settings.detector, DetectorKind::blazeface);
  EXPECT_EQ(settings.haar.cascade, "/tmp/c.xml");
  EXPECT_DOUBLE_EQ(settings.haar.scale_factor, 1.2);
  EXPECT_EQ(settings.haar.min_neighbors, 3);
  EXPECT_EQ(settings.haar.min_size, 24);
  EXPECT_EQ(settings.haar.max_width, 0);
  EXPECT_EQ(settings.blazeface.model, "/tmp/m.onnx");
  EXPECT_FLOAT_EQ(settings.blazeface.score_threshold, 0.6f);
  EXPECT_FLOAT_EQ(settings.blazeface.nms_threshold, 0.4f);
  EXPECT_EQ(describe(settings), "blazeface (m.onnx, score >= 0.60)");
}

TEST(FacesSettings, PointsAtTheOffendingKey) {
  EXPECT_EQ(config_error("detector: yolo\n").key_path(), "detector");
  EXPECT_EQ(config_error("haar: {scale_factor: 1.0}\n").key_path(), "haar.scale_factor");
  EXPECT_EQ(config_error("haar: {min_size: 0}\n").key_path(), "haar.min_size");
  EXPECT_EQ(config_error("haar: {max_width: wide}\n").key_path(), "haar.max_width");
  EXPECT_EQ(config_error("blazeface: {score_threshold: 2}\n").key_path(),
            "blazeface.score_threshold");
  EXPECT_EQ(config_error("haar: [1, 2]\n").key_path(), "haar");
}

TEST(FacesSettings, SchemaListsEveryKeyItReads) {
  const ConfigSchema schema = faces_config_schema();
  EXPECT_TRUE(schema
                  .validate(yaml(R"(
detector: haar
haar: {cascade: a.xml, scale_factor: 1.1, min_neighbors: 8, min_size: 40, max_width: 640}
blazeface: {model: m.onnx, score_threshold: 0.75, nms_threshold: 0.3}
)"))
                  .empty());
}

class FacesPluginTest : public ::testing::Test {
 protected:
  Executor executor{1};
  Bus bus{executor};
  ServiceRegistry registry;
  HealthReporter health;
  PluginContext context{
      "faces", bus,    registry, executor, std::make_shared<spdlog::logger>("faces-test"),
      health,  nullptr};
};

TEST_F(FacesPluginTest, ProvidesAWorkingFaceDetector) {
  for (const char* config : {"detector: haar\n", "detector: blazeface\n"}) {
    FacesPlugin plugin;
    plugin.configure(yaml(config));
    plugin.start(context);
    EXPECT_EQ(health.current().state, HealthState::ready) << config;
    const auto detector = registry.get<FaceDetector>("faces");
    ASSERT_NE(detector, nullptr);
    EXPECT_EQ(detector->detect(test::load_photo("photos/grace_hopper.jpg")).size(), 1u) << config;
    plugin.stop();
    registry.remove_provider("faces");
  }
}

TEST_F(FacesPluginTest, StartFailsClearlyWhenTheModelIsMissing) {
  FacesPlugin plugin;
  plugin.configure(yaml("detector: blazeface\nblazeface: {model: /nonexistent/face.onnx}\n"));
  try {
    plugin.start(context);
    FAIL() << "started without its model";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/face.onnx"), std::string::npos);
  }
  EXPECT_EQ(registry.find<FaceDetector>("faces"), nullptr);
}

}  // namespace
}  // namespace seer::faces
