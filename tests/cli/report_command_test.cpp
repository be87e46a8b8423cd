// `seer report` as a user runs it: the real plugins on the real photos, and bad inputs that
// must give one clear error line or a report, never a crash.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "test_assets.hpp"

namespace seer::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

const std::string kSeer = SEER_BINARY;

Completed report(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), {kSeer, "report"});
  return run_to_completion(arguments);
}

json::object report_json(const std::string& photo, std::vector<std::string> extra = {}) {
  std::vector<std::string> arguments{"--image", asset(photo).string(), "--json"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  const Completed result = report(arguments);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return json::parse(result.out).as_object();
}

// One line on stderr naming the problem, exit code 1 or 2, nothing on stdout.
void expect_clear_error(const Completed& result, const std::string& mention) {
  EXPECT_TRUE(result.exit_code == 1 || result.exit_code == 2) << result.exit_code << result.err;
  EXPECT_EQ(result.err.find("error: "), 0u) << result.err;
  EXPECT_NE(result.err.find(mention), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("seer-report-" + std::to_string(::getpid()))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path file(const std::string& name, const std::string& bytes) const {
    std::ofstream(path_ / name, std::ios::binary) << bytes;
    return path_ / name;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::uint32_t crc32(const std::string& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (const unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string big_endian(std::uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

// A valid PNG signature and IHDR claiming 20000x20000 RGB, with no pixel data behind it.
std::string huge_png_header() {
  const std::string ihdr =
      "IHDR" + big_endian(20000) + big_endian(20000) + std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1a\n", 8) + big_endian(13) + ihdr + big_endian(crc32(ihdr));
}

TEST(SeerReport, GraceHopperHasOneNeutralFaceAsJson) {
  const json::object out = report_json("photos/grace_hopper.jpg");
  const json::array& faces = out.at("faces").as_array();
  ASSERT_EQ(faces.size(), 1u);
  const std::array<int, 4> golden{155, 105, 222, 222};
  for (std::size_t i = 0; i < golden.size(); ++i) {
    EXPECT_NEAR(faces[0].at("box").at(i).to_number<double>(), golden[i], 10) << i;
  }
  EXPECT_EQ(out.at("emotion").at("label").as_string(), "neutral");
  EXPECT_EQ(out.at("emotion").at("source").as_string(), "cnn");
  EXPECT_EQ(out.at("face_crop").as_array().size(), 4u);
  EXPECT_TRUE(out.at("unavailable").as_object().empty());
  EXPECT_TRUE(out.at("description").is_null());
  EXPECT_GT(out.at("timings_ms").at("total").to_number<double>(), 0);
  EXPECT_EQ(out.at("image").as_string(), asset("photos/grace_hopper.jpg").string());
}

TEST(SeerReport, AstronautIsHappyInText) {
  const Completed result = report({"--image", asset("photos/astronaut.png").string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("Faces: 1"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Emotion: happy (from cnn)"), std::string::npos) << result.out;
}

TEST(SeerReport, NoFaceMeansNullEmotionNotAnError) {
  const json::object out = report_json("darknet/data/person.jpg");
  EXPECT_TRUE(out.at("faces").as_array().empty());
  EXPECT_TRUE(out.at("emotion").is_null());
  EXPECT_TRUE(out.at("face_crop").is_null());
  EXPECT_TRUE(out.at("unavailable").as_object().empty());
}

TEST(SeerReport, ObjectsFromTheSimulatedHailoSaySo) {
  const json::object out = report_json("darknet/data/person.jpg", {"--objects"});
  const json::array& objects = out.at("objects").as_array();
  ASSERT_EQ(objects.size(), 1u);
  EXPECT_EQ(objects[0].at("label").as_string(), "person");
  EXPECT_EQ(objects[0].at("backend").as_string(), "hailo-stub");
  const std::string provenance(out.at("objects_provenance").as_string());
  EXPECT_NE(provenance.find("SIMULATED"), std::string::npos) << provenance;
}

TEST(SeerReport, ReadsACameraSource) {
  const Completed result =
      report({"--camera", asset("photos/grace_hopper.jpg").string(), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json::object out = json::parse(result.out).as_object();
  EXPECT_FALSE(out.at("camera").is_null());
  EXPECT_EQ(out.at("faces").as_array().size(), 1u);
  EXPECT_EQ(out.at("emotion").at("label").as_string(), "neutral");
}

TEST(SeerReport, MissingFileIsAClearError) {
  expect_clear_error(report({"--image", "/nonexistent/face.jpg"}), "/nonexistent/face.jpg");
}

TEST(SeerReport, CorruptAndEmptyFilesAreClearErrors) {
  TempDir temp;
  expect_clear_error(report({"--image", temp.file("corrupt.jpg", "\xff\xd8\xff garbage").string()}),
                     "corrupt.jpg");
  expect_clear_error(report({"--image", temp.file("empty.png", "").string()}), "empty.png");
  expect_clear_error(report({"--image", temp.file("text.png", "hello, world\n").string()}),
                     "text.png");
}

TEST(SeerReport, AHugeImageIsRefusedFromItsHeader) {
  TempDir temp;
  const Completed result = report({"--image", temp.file("huge.png", huge_png_header()).string()});
  expect_clear_error(result, "huge.png");
  EXPECT_NE(result.err.find("20000"), std::string::npos) << result.err;
}

TEST(SeerReport, AOnePixelImageGivesAReport) {
  TempDir temp;
  const fs::path pixel = temp.path() / "pixel.png";
  ASSERT_TRUE(cv::imwrite(pixel.string(), cv::Mat(1, 1, CV_8UC3, cv::Scalar(1, 2, 3))));
  const Completed result = report({"--image", pixel.string(), "--json", "--objects"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json::object out = json::parse(result.out).as_object();
  EXPECT_EQ(out.at("frame").at("width").as_int64(), 1);
  EXPECT_TRUE(out.at("faces").as_array().empty());
}

TEST(SeerReport, BadConfigurationIsAConfigError) {
  TempDir temp;
  const fs::path config =
      temp.file("bad.yaml", "plugins:\n  faces: {detector: haar}\nreport:\n  emotion_source: x\n");
  const Completed result =
      report({"--image", asset("photos/grace_hopper.jpg").string(), "--config", config.string()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("bad.yaml:4:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("report.emotion_source"), std::string::npos) << result.err;

  const Completed missing = report({"--image", asset("photos/grace_hopper.jpg").string(),
                                    "--config", (temp.path() / "absent.yaml").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("absent.yaml"), std::string::npos) << missing.err;
}

TEST(SeerReport, AFailedFaceDetectorIsOneClearLine) {
  TempDir temp;
  const fs::path config = temp.file(
      "no_cascade.yaml", "plugins:\n  faces: {haar: {cascade: /nonexistent/cascade.xml}}\n");
  const Completed result =
      report({"--image", asset("photos/grace_hopper.jpg").string(), "--config", config.string()});
  expect_clear_error(result, "no face detector: plugin 'faces' failed: ");
  EXPECT_NE(result.err.find("/nonexistent/cascade.xml"), std::string::npos) << result.err;
}

// The bagel plugin on the tiny random-weight checkpoint: its words are noise, but they arrive
// in the report through the real VisionLanguageModel service, for the frame and the face.
TEST(SeerReport, BagelDescribesTheFrameAndReadsTheFace) {
  TempDir temp;
  const fs::path config = temp.file(
      "bagel.yaml",
      "plugins:\n  faces: {detector: haar}\n  emotion: {resize: area}\n"
      "  bagel:\n    model: " +
          std::string(SEER_TEST_DATA_DIR) +
          "/fixtures/bagel-tiny\n    tokenizer: " + asset("tokenizer/tokenizer.json").string() +
          "\nreport: {emotion_source: both, description_max_tokens: 4}\n");
  const Completed result = report({"--image", asset("photos/grace_hopper.jpg").string(), "--config",
                                   config.string(), "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json::object out = json::parse(result.out).as_object();
  EXPECT_TRUE(out.at("unavailable").as_object().empty()) << result.out;
  EXPECT_FALSE(out.at("description").as_string().empty());
  EXPECT_EQ(out.at("emotion").at("source").as_string(), "cnn");
  EXPECT_EQ(out.at("emotion_bagel").at("source").as_string(), "bagel");
  EXPECT_GT(out.at("timings_ms").at("description").to_number<double>(), 0);
}

TEST(SeerReport, ABagelThatCannotLoadLeavesTheDescriptionUnavailable) {
  const json::object out =
      report_json("photos/grace_hopper.jpg",
                  {"--model", std::string(SEER_TEST_DATA_DIR) + "/fixtures/bagel-tiny"});
  EXPECT_TRUE(out.at("description").is_null());
  const std::string reason(out.at("unavailable").at("description").as_string());
  EXPECT_NE(reason.find("tokenizer"), std::string::npos) << reason;
  EXPECT_EQ(out.at("emotion").at("label").as_string(), "neutral") << "the rest is unaffected";
}

TEST(SeerReport, NeedsExactlyOneSource) {
  const Completed neither = report({"--json"});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.err.find("--image"), std::string::npos) << neither.err;
}

}  // namespace
}  // namespace seer::test
