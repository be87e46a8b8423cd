// The pipeline on the real photos with the real faces, emotion and objects plugins, loaded
// and started by the runtime as `seer report` does.
#include <seer/faces/face_crop.hpp>

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <numeric>

#include "report_test_support.hpp"

namespace seer::agents::test {
namespace {

class VisionReportRealPlugins : public RealPluginsTest {};

float probability_of(const ReportedEmotion& emotion, const std::string& label) {
  for (const auto& [name, p] : emotion.probabilities) {
    if (name == label) return p;
  }
  ADD_FAILURE() << "no probability for " << label;
  return -1;
}

TEST_F(VisionReportRealPlugins, GraceHopperHasOneNeutralFaceAtTheGoldenBox) {
  VisionReportPipeline pipeline(services(), {});
  const VisionReport report = pipeline.run(photo("photos/grace_hopper.jpg"));

  ASSERT_TRUE(report.frame);
  EXPECT_EQ(report.frame->width, 512);
  EXPECT_EQ(report.frame->height, 600);
  ASSERT_TRUE(report.faces);
  ASSERT_EQ(report.faces->size(), 1u);
  const Box& box = report.faces->front().box;
  EXPECT_NEAR(box.x, 155, 10);
  EXPECT_NEAR(box.y, 105, 10);
  EXPECT_NEAR(box.width, 222, 10);
  EXPECT_NEAR(box.height, 222, 10);

  ASSERT_TRUE(report.emotion);
  EXPECT_EQ(report.emotion->label, "neutral");
  EXPECT_EQ(report.emotion->source, "cnn");
  ASSERT_EQ(report.emotion->probabilities.size(), 7u);
  // The CNN reads the tight box resized INTER_AREA: the golden logits' softmax, 0.9385.
  EXPECT_NEAR(probability_of(*report.emotion, "neutral"), 0.9385, 0.005);
  const float sum =
      std::accumulate(report.emotion->probabilities.begin(), report.emotion->probabilities.end(),
                      0.0f, [](float total, const auto& entry) { return total + entry.second; });
  EXPECT_NEAR(sum, 1.0f, 1e-4);

  ASSERT_TRUE(report.face_crop);
  const Box padded = faces::padded_face_box(box, 512, 600, 0.4f);
  EXPECT_EQ(report.face_crop->x, padded.x);
  EXPECT_EQ(report.face_crop->width, padded.width);
  EXPECT_TRUE(report.unavailable.empty()) << report.unavailable.front().second;
  EXPECT_FALSE(report.objects) << "objects are off by default";
  EXPECT_FALSE(report.description) << "no VLM here";
  for (const char* stage : {"faces", "crop", "emotion", "overhead", "total"}) {
    EXPECT_TRUE(report.timing(stage)) << stage;
  }
}

TEST_F(VisionReportRealPlugins, AstronautIsHappy) {
  VisionReportPipeline pipeline(services(), {});
  const VisionReport report = pipeline.run(photo("photos/astronaut.png"));
  ASSERT_TRUE(report.faces);
  ASSERT_EQ(report.faces->size(), 1u);
  EXPECT_NEAR(report.faces->front().box.x, 177, 10);
  ASSERT_TRUE(report.emotion);
  EXPECT_EQ(report.emotion->label, "happy");
  EXPECT_GT(probability_of(*report.emotion, "happy"), 0.99f);
}

TEST_F(VisionReportRealPlugins, APhotoWithoutAFaceHasNoEmotionAndNoError) {
  VisionReportPipeline pipeline(services(), {});
  const VisionReport report = pipeline.run(photo("darknet/data/person.jpg"));
  ASSERT_TRUE(report.faces) << "detection ran";
  EXPECT_TRUE(report.faces->empty());
  EXPECT_FALSE(report.face_crop);
  EXPECT_FALSE(report.emotion);
  EXPECT_TRUE(report.unavailable.empty()) << "no face is an answer, not a failure";
  EXPECT_FALSE(report.timing("emotion"));
}

TEST_F(VisionReportRealPlugins, SimulatedObjectsCarryTheirProvenance) {
  VisionReportOptions options;
  options.objects = true;
  VisionReportPipeline pipeline(services(), options);
  const VisionReport report = pipeline.run(photo("darknet/data/person.jpg"));
  ASSERT_TRUE(report.objects);
  ASSERT_EQ(report.objects->size(), 1u);
  EXPECT_EQ(report.objects->front().label, "person");
  EXPECT_EQ(report.objects->front().backend, "hailo-stub");
  ASSERT_TRUE(report.objects_provenance);
  EXPECT_NE(report.objects_provenance->find("SIMULATED"), std::string::npos)
      << *report.objects_provenance;
  EXPECT_TRUE(report.timing("objects"));
}

TEST_F(VisionReportRealPlugins, ACameraFrameIsReportedWithTheCamera) {
  const Image frame = photo("photos/grace_hopper.jpg");
  Image stamped = frame;
  stamped.captured_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'790'000'000));
  auto services_with_camera = services();
  services_with_camera.camera = std::make_shared<FakeCamera>(stamped);
  VisionReportPipeline pipeline(services_with_camera, {});
  const VisionReport report = pipeline.run();
  EXPECT_EQ(report.camera, "512x600@1 test double");
  EXPECT_EQ(iso8601_utc(report.captured_at), "2026-09-21T14:13:20.000Z");
  ASSERT_TRUE(report.emotion);
  EXPECT_EQ(report.emotion->label, "neutral");
  EXPECT_TRUE(report.timing("capture"));
}

TEST_F(VisionReportRealPlugins, TinyAndGreyFramesGiveReports) {
  VisionReportPipeline pipeline(services(), {});
  cv::Mat one_pixel(1, 1, CV_8UC3, cv::Scalar(10, 20, 30));
  const VisionReport tiny = pipeline.run(image_io::image_from_mat(one_pixel));
  ASSERT_TRUE(tiny.faces);
  EXPECT_TRUE(tiny.faces->empty());
  EXPECT_TRUE(tiny.unavailable.empty());

  cv::Mat grey;
  cv::cvtColor(image_io::mat_view(photo("photos/grace_hopper.jpg")), grey, cv::COLOR_BGR2GRAY);
  const VisionReport report = pipeline.run(image_io::image_from_mat(grey));
  ASSERT_TRUE(report.emotion);
  EXPECT_EQ(report.emotion->label, "neutral");
}

}  // namespace
}  // namespace seer::agents::test
