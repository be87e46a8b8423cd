// Stages that throw, hang or are slow, with test doubles registered for one test each: the
// report still comes, on time, with the reason under `unavailable`; independent stages overlap.
#include "report_test_support.hpp"

namespace seer::agents::test {
namespace {

class VisionReportFailures : public RealPluginsTest {};

TEST_F(VisionReportFailures, AThrowingStageLeavesItsFieldNullWithTheReason) {
  ScopedService<ObjectDetector> broken(registry(), "broken",
                                       std::make_shared<ThrowingObjectDetector>());
  VisionReportOptions options;
  options.objects = true;
  VisionReportPipeline pipeline(services({.object_detector = "broken"}), options);
  const VisionReport report = pipeline.run(photo("photos/grace_hopper.jpg"));
  EXPECT_FALSE(report.objects);
  ASSERT_NE(report.unavailable_reason("objects"), nullptr);
  EXPECT_EQ(*report.unavailable_reason("objects"), "the accelerator fell off the bus");
  EXPECT_EQ(report.objects_provenance, "backend broken: always throws");
  ASSERT_TRUE(report.emotion) << "the other stages are unaffected";
  EXPECT_EQ(report.emotion->label, "neutral");
}

TEST_F(VisionReportFailures, AStagePastItsTimeoutIsGivenUpOn) {
  ScopedService<ObjectDetector> slow(registry(), "slow",
                                     std::make_shared<SlowObjectDetector>(1500ms));
  VisionReportOptions options;
  options.objects = true;
  options.stage_timeout = 300ms;
  VisionReportPipeline pipeline(services({.object_detector = "slow"}), options);
  const auto start = std::chrono::steady_clock::now();
  const VisionReport report = pipeline.run(photo("photos/grace_hopper.jpg"));
  EXPECT_LT(milliseconds_since(start), 1200) << "the report does not wait for the slow stage";
  EXPECT_FALSE(report.objects);
  ASSERT_NE(report.unavailable_reason("objects"), nullptr);
  EXPECT_EQ(*report.unavailable_reason("objects"), "timed out after 300 ms");
  ASSERT_TRUE(report.emotion);
  EXPECT_EQ(pipeline.stages_still_running(), 1);
  const auto waited = std::chrono::steady_clock::now() + 3s;
  while (pipeline.stages_still_running() > 0 && std::chrono::steady_clock::now() < waited) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(pipeline.stages_still_running(), 0) << "the slow stage finishes on its own";
}

TEST_F(VisionReportFailures, IndependentStagesRunConcurrently) {
  ScopedService<ObjectDetector> objects(registry(), "slow-objects",
                                        std::make_shared<SlowObjectDetector>(500ms));
  ScopedService<EmotionReader> emotion(registry(), "slow-emotion",
                                       std::make_shared<SlowEmotionReader>(500ms));
  auto model = std::make_shared<FakeVisionLanguageModel>();
  model->delay = 500ms;
  VisionReportOptions options;
  options.objects = true;
  options.emotion_source = EmotionSource::both;
  auto found = services({.emotion_reader = "slow-emotion", .object_detector = "slow-objects"});
  found.vision_language_model = model;
  VisionReportPipeline pipeline(found, options);
  const VisionReport report = pipeline.run(photo("photos/grace_hopper.jpg"));
  ASSERT_TRUE(report.unavailable.empty()) << report.unavailable.front().second;
  for (const char* stage : {"emotion", "objects", "description", "emotion_bagel"}) {
    ASSERT_TRUE(report.timing(stage)) << stage;
    EXPECT_GE(*report.timing(stage), 490) << stage;
  }
  // Four 500 ms stages side by side: about 500 ms after the faces, not 2000.
  const double after_faces = *report.timing("total") - *report.timing("faces");
  EXPECT_LT(after_faces, 1200);
}

TEST_F(VisionReportFailures, FailedFaceDetectionStillReportsTheRest) {
  ScopedService<FaceDetector> broken(registry(), "broken-faces",
                                     std::make_shared<ThrowingFaceDetector>());
  VisionReportOptions options;
  options.objects = true;
  VisionReportPipeline pipeline(services({.face_detector = "broken-faces"}), options);
  const VisionReport report = pipeline.run(photo("photos/grace_hopper.jpg"));
  EXPECT_FALSE(report.faces);
  EXPECT_FALSE(report.emotion);
  ASSERT_NE(report.unavailable_reason("faces"), nullptr);
  EXPECT_EQ(*report.unavailable_reason("faces"), "cascade went missing");
  ASSERT_NE(report.unavailable_reason("emotion"), nullptr);
  ASSERT_TRUE(report.objects);
  EXPECT_EQ(report.objects->size(), 1u);
}

TEST_F(VisionReportFailures, AFailedSnapshotGivesAReportWithoutAFrame) {
  auto camera = std::make_shared<FakeCamera>(Image{});
  camera->fail = true;
  auto found = services();
  found.camera = camera;
  VisionReportPipeline pipeline(found, {});
  const VisionReport report = pipeline.run();
  EXPECT_FALSE(report.frame);
  EXPECT_FALSE(report.faces);
  ASSERT_NE(report.unavailable_reason("frame"), nullptr);
  EXPECT_EQ(*report.unavailable_reason("frame"),
            "capture no frame within 5000 ms from /dev/video9");
  EXPECT_EQ(report.camera, "512x600@1 test double");
}

TEST_F(VisionReportFailures, BagelDescribesTheFrameAndReadsThePaddedFace) {
  auto model = std::make_shared<FakeVisionLanguageModel>();
  auto found = services();
  found.vision_language_model = model;
  VisionReportOptions options;
  options.emotion_source = EmotionSource::both;
  VisionReportPipeline pipeline(found, options);
  const Image frame = photo("photos/grace_hopper.jpg");
  const VisionReport report = pipeline.run(frame);

  EXPECT_EQ(report.description, model->description);
  ASSERT_TRUE(report.emotion);
  EXPECT_EQ(report.emotion->source, "cnn");
  ASSERT_TRUE(report.emotion_bagel);
  EXPECT_EQ(report.emotion_bagel->source, "bagel");
  EXPECT_EQ(report.emotion_bagel->label, "happy");
  EXPECT_EQ(report.emotion_bagel->answer, "Happy.");
  EXPECT_TRUE(report.emotion_bagel->probabilities.empty());

  const auto requests = model->requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    ASSERT_EQ(request.images.size(), 1u);
    if (request.prompt == kDefaultDescribePrompt) {
      EXPECT_EQ(request.images[0].width, frame.width) << "the whole frame is described";
      EXPECT_EQ(request.options.max_new_tokens, 256);
    } else {
      EXPECT_EQ(request.prompt, kDefaultEmotionPrompt);
      ASSERT_TRUE(report.face_crop);
      EXPECT_EQ(request.images[0].width, static_cast<int>(report.face_crop->width));
      EXPECT_EQ(request.images[0].height, static_cast<int>(report.face_crop->height));
    }
  }
}

TEST_F(VisionReportFailures, BagelAloneAnswersTheEmotion) {
  auto model = std::make_shared<FakeVisionLanguageModel>();
  model->emotion = "  Joy";
  auto found = services();
  found.vision_language_model = model;
  VisionReportOptions options;
  options.emotion_source = EmotionSource::bagel;
  VisionReportPipeline pipeline(found, options);
  const VisionReport report = pipeline.run(photo("photos/grace_hopper.jpg"));
  ASSERT_TRUE(report.emotion);
  EXPECT_EQ(report.emotion->label, "happy");
  EXPECT_EQ(report.emotion->source, "bagel");
  EXPECT_FALSE(report.emotion_bagel);
  EXPECT_FALSE(report.timing("emotion")) << "the CNN did not run";
}

TEST_F(VisionReportFailures, AGenerationPastItsTimeoutIsCancelled) {
  auto model = std::make_shared<FakeVisionLanguageModel>();
  model->hang = true;
  auto found = services();
  found.vision_language_model = model;
  VisionReportOptions options;
  options.stage_timeout = 300ms;
  VisionReportPipeline pipeline(found, options);
  const VisionReport report = pipeline.run(photo("photos/grace_hopper.jpg"));
  EXPECT_FALSE(report.description);
  ASSERT_NE(report.unavailable_reason("description"), nullptr);
  EXPECT_EQ(*report.unavailable_reason("description"), "timed out after 300 ms");
  const auto waited = std::chrono::steady_clock::now() + 2s;
  while (!model->cancelled && std::chrono::steady_clock::now() < waited) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(model->cancelled) << "the model was told to stop";
}

TEST_F(VisionReportFailures, AServiceWhosePluginFailedIsReportedWithItsReason) {
  auto found = services();
  found.emotion_reader = nullptr;
  found.missing = {{"emotion", "plugin 'emotion' failed: model.json is missing"}};
  VisionReportPipeline pipeline(found, {});
  const VisionReport report = pipeline.run(photo("photos/grace_hopper.jpg"));
  EXPECT_FALSE(report.emotion);
  ASSERT_NE(report.unavailable_reason("emotion"), nullptr);
  EXPECT_EQ(*report.unavailable_reason("emotion"),
            "plugin 'emotion' failed: model.json is missing");
}

TEST_F(VisionReportFailures, ServicesAreFoundByNameAndAmbiguityIsAnError) {
  ScopedService<ObjectDetector> second(registry(), "second",
                                       std::make_shared<ThrowingObjectDetector>());
  EXPECT_THROW(find_vision_report_services(registry(), {}), std::invalid_argument);
  EXPECT_THROW(find_vision_report_services(registry(), {.object_detector = "third"}),
               std::invalid_argument);
  const auto found = find_vision_report_services(registry(), {.object_detector = "second"});
  EXPECT_EQ(found.object_detector->provenance(), "backend broken: always throws");
  EXPECT_NE(found.face_detector, nullptr);
  EXPECT_EQ(found.vision_language_model, nullptr);
}

TEST_F(VisionReportFailures, ThePipelineRefusesWhatCannotWork) {
  EXPECT_THROW(VisionReportPipeline({}, {}), std::invalid_argument);
  VisionReportOptions bagel;
  bagel.emotion_source = EmotionSource::bagel;
  EXPECT_THROW(VisionReportPipeline(services(), bagel), std::invalid_argument);
  VisionReportPipeline pipeline(services(), {});
  EXPECT_THROW(pipeline.run(Image{}), std::invalid_argument);
  EXPECT_THROW(pipeline.run(), std::logic_error) << "no camera";
}

}  // namespace
}  // namespace seer::agents::test
