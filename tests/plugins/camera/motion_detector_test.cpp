// The motion detector without threads: frames and timestamps in, start/stop events out.
// Clips are real video written by OpenCV and decoded again, so JPEG noise is part of the test.

#include "motion_detector.hpp"
#include "camera_test_support.hpp"
#include "synthetic_video.hpp"

#include <opencv2/videoio.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace seer::camera::test {
namespace {

using Clock = std::chrono::system_clock;

std::vector<cv::Mat> decode_clip(const std::filesystem::path& path) {
  cv::VideoCapture capture(path.string(), cv::CAP_FFMPEG);
  std::vector<cv::Mat> frames;
  for (cv::Mat frame; capture.read(frame);) frames.push_back(frame.clone());
  return frames;
}

Clock::time_point at(double seconds) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1'700'000'000.0 + seconds)));
}

double overlap(const cv::Rect& a, const cv::Rect& b) {
  return static_cast<double>((a & b).area()) / static_cast<double>(b.area());
}

struct Fed {
  std::vector<MotionEvent> events;
  std::vector<int> frame_of_event;
};

Fed feed_all(MotionDetector& detector, const std::vector<cv::Mat>& frames, double fps,
             double start_seconds = 0) {
  Fed fed;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (auto event = detector.feed(frames[i], at(start_seconds + static_cast<double>(i) / fps))) {
      fed.events.push_back(*event);
      fed.frame_of_event.push_back(static_cast<int>(i));
    }
  }
  return fed;
}

class MotionDetectorTest : public ::testing::Test {
 protected:
  TempDir temp;
};

TEST_F(MotionDetectorTest, MovingBlockStartsMotionWithABoxOverTheBlockThenStops) {
  const ClipSpec moving{.frames = 45, .moving_block = true};
  write_clip(temp.path() / "moving.avi", moving);
  const std::vector<cv::Mat> frames = decode_clip(temp.path() / "moving.avi");
  ASSERT_EQ(frames.size(), 45u);

  MotionSettings settings;
  settings.off_delay = std::chrono::seconds(1);
  MotionDetector detector(settings);
  const Fed fed = feed_all(detector, frames, moving.fps);
  ASSERT_EQ(fed.events.size(), 1u) << "one start, no stop while the block moves";
  const MotionEvent& start = fed.events.front();
  EXPECT_EQ(start.kind, MotionEvent::Kind::start);
  // The first frame only sets the background; `inertia` frames with motion follow.
  EXPECT_EQ(fed.frame_of_event.front(), settings.inertia);
  EXPECT_EQ(start.timestamp, at(settings.inertia / moving.fps));
  EXPECT_GT(start.area, 0);
  EXPECT_LT(start.area, 0.2);
  const cv::Rect block = block_at(moving, fed.frame_of_event.front());
  // A uniform block differs from the background at its edges: the boxes may be its leading
  // and trailing parts, which together span it.
  cv::Rect spanned = start.boxes.front();
  for (const cv::Rect& box : start.boxes) spanned |= box;
  EXPECT_GT(overlap(spanned, block), 0.9);
  const cv::Rect near_block(block.x - 40, block.y - 20, block.width + 80, block.height + 40);
  EXPECT_EQ(spanned & near_block, spanned) << "nothing far from the block";
  EXPECT_TRUE(detector.active());

  // The block leaves; once the background has caught up and off_delay has passed: stop.
  const cv::Mat still = clip_frame(ClipSpec{}, 0);
  const double after = static_cast<double>(frames.size()) / moving.fps;
  std::optional<MotionEvent> stop;
  for (int i = 0; i < 150 && !stop; ++i) stop = detector.feed(still, at(after + i / moving.fps));
  ASSERT_TRUE(stop) << "motion never stopped";
  EXPECT_EQ(stop->kind, MotionEvent::Kind::stop);
  EXPECT_TRUE(stop->boxes.empty());
  EXPECT_GE(stop->timestamp, at(after + 1.0)) << "not before off_delay";
  EXPECT_FALSE(detector.active());
}

TEST_F(MotionDetectorTest, StaticClipNeverFires) {
  const ClipSpec still{.frames = 90};
  write_clip(temp.path() / "still.avi", still);
  const std::vector<cv::Mat> frames = decode_clip(temp.path() / "still.avi");
  ASSERT_EQ(frames.size(), 90u);
  MotionSettings settings;
  settings.inertia = 1;
  settings.threshold = 10;  // sensitive, still nothing
  MotionDetector detector(settings);
  EXPECT_TRUE(feed_all(detector, frames, still.fps).events.empty());
}

// Frames with the block only where `with_block` says; frame_alpha 1 compares neighbours.
std::vector<cv::Mat> blinking(const std::vector<bool>& with_block) {
  const ClipSpec moving{.moving_block = true};
  std::vector<cv::Mat> frames;
  for (std::size_t i = 0; i < with_block.size(); ++i) {
    frames.push_back(with_block[i] ? clip_frame(moving, static_cast<int>(i))
                                   : clip_frame(ClipSpec{}, 0));
  }
  return frames;
}

TEST_F(MotionDetectorTest, InertiaHoldsBackMotionShorterThanIt) {
  // One frame with the block: two frames differ from their predecessor (it appears, it goes).
  const std::vector<cv::Mat> frames = blinking({false, false, true, false, false, false});
  MotionSettings settings;
  settings.frame_alpha = 1;
  settings.inertia = 3;
  MotionDetector three(settings);
  EXPECT_TRUE(feed_all(three, frames, 30).events.empty());
  settings.inertia = 2;
  MotionDetector two(settings);
  EXPECT_EQ(feed_all(two, frames, 30).events.size(), 1u);
}

TEST_F(MotionDetectorTest, CooldownHoldsBackTheNextStart) {
  MotionSettings settings;
  settings.frame_alpha = 1;
  settings.inertia = 1;
  settings.off_delay = std::chrono::seconds(0);
  settings.cooldown = std::chrono::seconds(2);
  MotionDetector detector(settings);
  const cv::Mat still = clip_frame(ClipSpec{}, 0);
  const ClipSpec moving{.moving_block = true};

  ASSERT_FALSE(detector.feed(still, at(0)));
  auto event = detector.feed(clip_frame(moving, 5), at(0.1));
  ASSERT_TRUE(event && event->kind == MotionEvent::Kind::start);
  // The same frame again: no change, and with no off_delay that is a stop.
  event = detector.feed(clip_frame(moving, 5), at(0.2));
  ASSERT_TRUE(event && event->kind == MotionEvent::Kind::stop);

  EXPECT_FALSE(detector.feed(clip_frame(moving, 9), at(1.0))) << "within cooldown";
  EXPECT_FALSE(detector.feed(clip_frame(moving, 13), at(1.5))) << "within cooldown";
  event = detector.feed(clip_frame(moving, 17), at(2.4));
  ASSERT_TRUE(event) << "cooldown is over";
  EXPECT_EQ(event->kind, MotionEvent::Kind::start);
}

TEST_F(MotionDetectorTest, MinAreaAsAFractionOfTheFrame) {
  // The 40x40 block is about 2% of a 320x240 frame (two copies while it moves).
  const std::vector<cv::Mat> frames = blinking({false, true, true, true, true, true});
  MotionSettings settings;
  settings.frame_alpha = 1;
  settings.inertia = 2;
  settings.min_area = 0.2;
  MotionDetector large(settings);
  EXPECT_TRUE(feed_all(large, frames, 30).events.empty());
  settings.min_area = 0.005;
  MotionDetector small(settings);
  EXPECT_EQ(feed_all(small, frames, 30).events.size(), 1u);
}

TEST_F(MotionDetectorTest, RefusesFramesItCannotRead) {
  MotionDetector detector(MotionSettings{});
  EXPECT_THROW(detector.feed(cv::Mat(), at(0)), std::invalid_argument);
  EXPECT_THROW(detector.feed(cv::Mat(10, 10, CV_32FC3), at(0)), std::invalid_argument);
}

}  // namespace
}  // namespace seer::camera::test
