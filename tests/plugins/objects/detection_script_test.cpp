// The stub's detection scripts: inline in the configuration or in a JSON file.

#include "detection_script.hpp"
#include "coco_labels.hpp"

#include "object_test_support.hpp"

#include <gtest/gtest.h>

#include <unistd.h>
#include <fstream>

namespace seer::objects {
namespace {

ConfigNode yaml(std::string_view text) { return ConfigNode::load_string(text, "script.yaml"); }

DetectionScript read(std::string_view text) {
  return read_detection_script(yaml(text), coco80_labels(), "test");
}

ConfigError script_error(std::string_view text) {
  try {
    read(text);
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return ConfigError({}, {}, "no error");
}

TEST(DetectionScript, PlaysFramesInOrderWithRepeatsAndLoops) {
  const DetectionScript script = read(R"(
frames:
  - detections:
      - {label: person, score: 0.9, box: [0.1, 0.2, 0.3, 0.4]}
      - {class_id: 16, score: 0.5, box: [0.5, 0.5, 1, 1]}
  - repeat: 2
  - detections: [{label: car, score: 0.7, box: [0, 0, 0.5, 0.5]}]
)");
  EXPECT_EQ(script.length(), 4u);
  EXPECT_TRUE(script.loop());
  ASSERT_EQ(script.frame(0).size(), 2u);
  EXPECT_EQ(script.frame(0)[0].class_id, 0);
  EXPECT_FLOAT_EQ(script.frame(0)[0].score, 0.9f);
  EXPECT_FLOAT_EQ(script.frame(0)[0].x_min, 0.1f);
  EXPECT_FLOAT_EQ(script.frame(0)[0].y_min, 0.2f);
  EXPECT_FLOAT_EQ(script.frame(0)[0].x_max, 0.3f);
  EXPECT_FLOAT_EQ(script.frame(0)[0].y_max, 0.4f);
  EXPECT_EQ(script.frame(0)[1].class_id, 16);
  EXPECT_TRUE(script.frame(1).empty());
  EXPECT_TRUE(script.frame(2).empty());
  ASSERT_EQ(script.frame(3).size(), 1u);
  EXPECT_EQ(script.frame(3)[0].class_id, 2);
  EXPECT_EQ(script.frame(4).size(), 2u);  // from the top again
  EXPECT_EQ(script.frame(4'000'000'003u).size(), 1u);
  EXPECT_EQ(script.highest_class_id(), 16);
  EXPECT_EQ(DetectionScript().highest_class_id(), -1);
}

TEST(DetectionScript, WithoutLoopingStaysEmptyAfterTheEnd) {
  const DetectionScript script = read(R"(
loop: false
frames: [{detections: [{label: dog, score: 1, box: [0, 0, 1, 1]}]}]
)");
  EXPECT_EQ(script.frame(0).size(), 1u);
  EXPECT_TRUE(script.frame(1).empty());
  EXPECT_TRUE(read("frames: []\n").frame(0).empty());
}

TEST(DetectionScript, LoadsAJsonFile) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("seer-script-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << R"({"loop": true, "frames": [
    {"detections": [{"label": "person", "score": 0.8, "box": [0.25, 0.25, 0.75, 0.75]}]},
    {"repeat": 3, "detections": []}]})";
  const DetectionScript script = load_detection_script(path, coco80_labels());
  std::filesystem::remove(path);
  EXPECT_EQ(script.source(), path.string());
  EXPECT_EQ(script.length(), 4u);
  EXPECT_EQ(script.frame(0).at(0).class_id, 0);
  EXPECT_TRUE(script.frame(3).empty());
}

TEST(DetectionScript, NamesTheFileAndLineOfAMistake) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("seer-bad-script-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << "{\"frames\": [\n {\"detections\": [{\"label\": \"persn\", "
                         "\"score\": 0.8, \"box\": [0, 0, 1, 1]}]}]}";
  try {
    load_detection_script(path, coco80_labels());
    ADD_FAILURE() << "a misspelt label was accepted";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.location().file, path.string());
    EXPECT_EQ(error.location().line, 2);
    EXPECT_NE(std::string(error.what()).find("did you mean 'person'"), std::string::npos)
        << error.what();
  }
  std::filesystem::remove(path);
  EXPECT_THROW(load_detection_script("/nonexistent/script.json", coco80_labels()), ConfigError);
}

TEST(DetectionScript, PointsAtTheOffendingKey) {
  EXPECT_EQ(script_error("frames: [{detections: [{label: unicorn, score: 1, box: [0,0,1,1]}]}]")
                .key_path(),
            "frames[0].detections[0].label");
  EXPECT_EQ(
      script_error("frames: [{detections: [{class_id: 80, score: 1, box: [0,0,1,1]}]}]").key_path(),
      "frames[0].detections[0].class_id");
  EXPECT_EQ(script_error("frames: [{detections: [{label: cat, class_id: 15, score: 1, box: "
                         "[0,0,1,1]}]}]")
                .key_path(),
            "frames[0].detections[0]");
  EXPECT_EQ(
      script_error("frames: [{detections: [{label: cat, score: 1.5, box: [0,0,1,1]}]}]").key_path(),
      "frames[0].detections[0].score");
  EXPECT_EQ(
      script_error("frames: [{detections: [{label: cat, score: 1, box: [0,0,1]}]}]").key_path(),
      "frames[0].detections[0].box");
  EXPECT_EQ(script_error("frames: [{detections: [{label: cat, score: 1, box: [0.5,0,0.4,1]}]}]")
                .key_path(),
            "frames[0].detections[0].box");
  EXPECT_EQ(script_error("frames: [{repeat: 0}]").key_path(), "frames[0].repeat");
  EXPECT_EQ(script_error("frames: {a: 1}").key_path(), "frames");
}

}  // namespace
}  // namespace seer::objects
