// Sources that disappear mid-run: the plugin reports degraded with the reason, retries with
// backoff, and returns to ready by itself once the source is back.

#include "camera_test_support.hpp"
#include "synthetic_video.hpp"
#include "test_assets.hpp"

#include <opencv2/imgcodecs.hpp>

#include <gtest/gtest.h>

namespace seer::camera::test {
namespace {

namespace fs = std::filesystem;

class CameraRecoveryTest : public CameraHarness {
 protected:
  // Waits for degraded, checks its reason, then for ready again.
  void expect_degraded_then(std::size_t& from, const std::string& reason_part) {
    ASSERT_TRUE(health_log.wait_for(HealthState::degraded, from)) << health_log.dump();
    const std::string reason = health_log.changes()[from - 1].reason;
    EXPECT_NE(reason.find(reason_part), std::string::npos) << reason;
    EXPECT_NE(reason.find("retrying in"), std::string::npos) << reason;
  }
};

TEST_F(CameraRecoveryTest, ImagesReadAtTheirSizeAsASlideshow) {
  const fs::path photo = seer::test::asset("photos/grace_hopper.jpg");
  ASSERT_TRUE(fs::exists(photo));
  const cv::Mat expected = cv::imread(photo.string());
  start("source: {images: " + photo.string() + ", rate: 10}\n");
  const Image frame = camera()->snapshot(kPatience);
  EXPECT_EQ(frame.width, expected.cols);
  EXPECT_EQ(frame.height, expected.rows);
  EXPECT_EQ(camera()->describe(), std::to_string(expected.cols) + "x" +
                                      std::to_string(expected.rows) + "@10 " + photo.string());
}

TEST_F(CameraRecoveryTest, ImagesDirectoryThatDisappearsIsDegradedAndRecovers) {
  const fs::path slides = temp.path() / "slides";
  fs::create_directories(slides);
  const ClipSpec spec{.size = {200, 100}, .moving_block = true};
  for (int i = 0; i < 3; ++i) {
    cv::imwrite((slides / ("slide" + std::to_string(i) + ".png")).string(), clip_frame(spec, i));
  }
  start("source: {images: " + slides.string() +
        ", rate: 20}\nreconnect: {initial: 50ms, max: 200ms}\n");
  std::size_t from = 0;
  ASSERT_TRUE(health_log.wait_for(HealthState::ready, from)) << health_log.dump();
  EXPECT_EQ(camera()->snapshot(kPatience).width, 200);

  fs::rename(slides, temp.path() / "away");
  expect_degraded_then(from, slides.string());
  fs::rename(temp.path() / "away", slides);
  ASSERT_TRUE(health_log.wait_for(HealthState::ready, from)) << health_log.dump();
  EXPECT_EQ(camera()->snapshot(kPatience).height, 100);
}

TEST_F(CameraRecoveryTest, VideoFileThatIsRemovedIsDegradedAndRecovers) {
  // A fifth of a second of video, reopened at every loop.
  const fs::path video = temp.path() / "short.avi";
  write_clip(video, {.fps = 30, .frames = 6});
  start("source: {file: " + video.string() + "}\nreconnect: {initial: 50ms, max: 200ms}\n");
  std::size_t from = 0;
  ASSERT_TRUE(health_log.wait_for(HealthState::ready, from)) << health_log.dump();

  fs::rename(video, temp.path() / "moved.avi");
  expect_degraded_then(from, video.string() + " does not exist");
  ASSERT_THROW(camera()->snapshot(100ms), std::runtime_error);
  fs::rename(temp.path() / "moved.avi", video);
  ASSERT_TRUE(health_log.wait_for(HealthState::ready, from)) << health_log.dump();
  EXPECT_EQ(camera()->snapshot(kPatience).width, 320);
}

TEST_F(CameraRecoveryTest, MissingDeviceIsDegradedWithItsName) {
  start("source: {device: /dev/video97}\nreconnect: {initial: 100ms, max: 200ms}\n");
  std::size_t from = 0;
  expect_degraded_then(from, "cannot open video device /dev/video97");
  EXPECT_EQ(camera()->describe(), "1280x720@30 /dev/video97") << "the requested mode until open";
}

}  // namespace
}  // namespace seer::camera::test
