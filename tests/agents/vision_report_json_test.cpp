// The report's JSON form, its text form and the `report:` configuration section.
#include <seer/agents/json_text.hpp>
#include <seer/agents/vision_report.hpp>
#include <seer/agents/vision_report_options.hpp>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <cmath>

namespace seer::agents::test {
namespace {

namespace json = boost::json;

VisionReport sample_report() {
  VisionReport report;
  report.frame = FrameSize{1280, 720};
  report.faces = std::vector<ReportedFace>{{{155.4f, 105, 222, 222}, 1.0f}};
  report.face_crop = Box{66, 16, 400, 400};
  report.emotion = ReportedEmotion{"neutral", {{"neutral", 0.93851f}, {"happy", 0.05f}}, "cnn", {}};
  report.objects = std::vector<ReportedObject>{{"person", 0.9f, {1, 2, 3, 4}, "hailo-stub"}};
  report.objects_provenance = "backend hailo-stub: SIMULATED";
  report.timings_ms = {{"faces", 41.257}, {"total", 60.0}};
  report.unavailable = {{"description", "timed out after 30000 ms"}};
  report.captured_at =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1'790'000'000'042));
  report.image = "grace.jpg";
  return report;
}

TEST(VisionReportJson, HasTheDocumentedFieldsInOrder) {
  const json::object out = to_json(sample_report()).as_object();
  std::vector<std::string> keys;
  for (const auto& [key, value] : out) keys.emplace_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"frame", "faces", "face_crop", "emotion", "emotion_bagel",
                                      "objects", "objects_provenance", "description", "timings_ms",
                                      "unavailable", "captured_at", "camera", "image"}));
  EXPECT_EQ(out.at("frame").at("width").as_int64(), 1280);
  EXPECT_EQ(json::serialize(out.at("faces").at(0).at("box")), "[155,105,222,222]");
  EXPECT_EQ(out.at("faces").at(0).at("score").as_double(), 1.0);
  EXPECT_EQ(json::serialize(out.at("face_crop")), "[66,16,400,400]");
  EXPECT_EQ(out.at("emotion").at("label").as_string(), "neutral");
  EXPECT_EQ(out.at("emotion").at("source").as_string(), "cnn");
  EXPECT_DOUBLE_EQ(out.at("emotion").at("probabilities").at("neutral").as_double(), 0.9385);
  EXPECT_TRUE(out.at("emotion_bagel").is_null());
  EXPECT_EQ(out.at("objects").at(0).at("backend").as_string(), "hailo-stub");
  EXPECT_TRUE(out.at("description").is_null());
  EXPECT_DOUBLE_EQ(out.at("timings_ms").at("faces").as_double(), 41.26);
  EXPECT_EQ(out.at("unavailable").at("description").as_string(), "timed out after 30000 ms");
  EXPECT_EQ(out.at("captured_at").as_string(), "2026-09-21T14:13:20.042Z");
  EXPECT_TRUE(out.at("camera").is_null());
}

TEST(VisionReportJson, AnEmptyReportIsAllNulls) {
  const json::object out = to_json(VisionReport{}).as_object();
  for (const char* field : {"frame", "faces", "face_crop", "emotion", "objects", "description"}) {
    EXPECT_TRUE(out.at(field).is_null()) << field;
  }
  EXPECT_TRUE(out.at("unavailable").as_object().empty());
}

TEST(VisionReportJson, PrettyTextReadsBackAsTheSameDocument) {
  const json::value value = to_json(sample_report());
  const std::string text = pretty_json(value);
  EXPECT_EQ(json::parse(text), value);
  EXPECT_NE(text.find("\"neutral\": 0.9385"), std::string::npos) << text;
  EXPECT_NE(text.find("\"box\": [155, 105, 222, 222]"), std::string::npos) << text;
  EXPECT_EQ(pretty_json(json::value(std::nan(""))), "null");
  EXPECT_EQ(pretty_json(json::value(0.0002)), "0.0002");
  EXPECT_EQ(pretty_json(json::value(60.0)), "60.0");
  EXPECT_EQ(pretty_json(json::value(1e-300)), "1e-300");
  EXPECT_EQ(pretty_json(json::parse(R"({"a":[],"b":{},"c":"x\"y"})")),
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": \"x\\\"y\"\n}");
}

TEST(VisionReportJson, TextNamesWhatWasFoundAndWhatIsMissing) {
  const std::string text = to_text(sample_report());
  EXPECT_NE(text.find("Frame 1280x720 from grace.jpg"), std::string::npos) << text;
  EXPECT_NE(text.find("Faces: 1  (155, 105, 222, 222)"), std::string::npos) << text;
  EXPECT_NE(text.find("Emotion: neutral (from cnn): neutral 93.9%"), std::string::npos) << text;
  EXPECT_NE(text.find("person 0.90"), std::string::npos) << text;
  EXPECT_NE(text.find("SIMULATED"), std::string::npos) << text;
  EXPECT_NE(text.find("Unavailable: description — timed out after 30000 ms"), std::string::npos)
      << text;
  EXPECT_NE(text.find("total 60.0 ms"), std::string::npos) << text;
}

TEST(VisionReportJson, BackendComesFromTheProvenance) {
  EXPECT_EQ(backend_of("backend hailo-stub: SIMULATED HAILO8L"), "hailo-stub");
  EXPECT_EQ(backend_of("backend opencv-dnn: YOLOv8 ONNX model"), "opencv-dnn");
  EXPECT_EQ(backend_of("a detector"), "unknown");
  EXPECT_EQ(backend_of("backend "), "unknown");
}

TEST(VisionReportOptions, ReadsTheReportSection) {
  const ConfigNode root = ConfigNode::load_string(
      "report:\n"
      "  face_padding: 0.25\n"
      "  emotion_source: both\n"
      "  objects: true\n"
      "  stage_timeout: 2s\n"
      "  describe_prompt: What is happening?\n"
      "  services: {object_detector: front}\n",
      "report.yaml");
  EXPECT_TRUE(vision_report_options_schema().validate(root["report"]).empty());
  const VisionReportOptions options = read_vision_report_options(root["report"]);
  EXPECT_FLOAT_EQ(options.face_padding, 0.25f);
  EXPECT_EQ(options.emotion_source, EmotionSource::both);
  EXPECT_TRUE(options.objects);
  EXPECT_EQ(options.stage_timeout, std::chrono::seconds(2));
  EXPECT_EQ(options.describe_prompt, "What is happening?");
  EXPECT_EQ(options.emotion_prompt, kDefaultEmotionPrompt);
  EXPECT_EQ(options.services.object_detector, "front");
}

TEST(VisionReportOptions, DefaultsWithoutASection) {
  const VisionReportOptions options = read_vision_report_options(ConfigNode());
  EXPECT_FLOAT_EQ(options.face_padding, 0.4f);
  EXPECT_EQ(options.emotion_source, EmotionSource::cnn);
  EXPECT_FALSE(options.objects);
  EXPECT_EQ(options.describe_prompt, kDefaultDescribePrompt);
}

TEST(VisionReportOptions, BadValuesNameTheirKey) {
  const ConfigNode root = ConfigNode::load_string(
      "report:\n  emotion_source: mood-ring\n  face_padding: -1\n", "bad.yaml");
  const auto diagnostics = vision_report_options_schema().validate(root["report"]);
  ASSERT_EQ(diagnostics.size(), 2u);
  try {
    read_vision_report_options(root["report"]);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.key_path(), "report.face_padding");
    EXPECT_EQ(error.location().line, 3);
  }
  EXPECT_THROW(emotion_source_from_string("mood-ring"), std::invalid_argument);
}

}  // namespace
}  // namespace seer::agents::test
