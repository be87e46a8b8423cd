// The camera plugin reading video files written by OpenCV (and the real vtest.avi asset):
// size, looping, pacing, snapshot freshness, frame events, motion, and failures.

#include "camera_events.hpp"
#include "camera_test_support.hpp"
#include "event_collector.hpp"
#include "synthetic_video.hpp"
#include "test_assets.hpp"

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace seer::camera::test {
namespace {

using Clock = std::chrono::system_clock;

class CameraFileTest : public CameraHarness {
 protected:
  std::string clip(const ClipSpec& spec, const std::string& name = "clip.avi") {
    const auto path = temp.path() / name;
    write_clip(path, spec);
    return path.string();
  }
};

TEST_F(CameraFileTest, ReadsAWrittenVideoAtItsSize) {
  start("source: {file: " + clip({.size = {320, 240}, .fps = 25}) + "}\n");
  const Image frame = camera()->snapshot(kPatience);
  EXPECT_EQ(frame.width, 320);
  EXPECT_EQ(frame.height, 240);
  EXPECT_EQ(frame.format, PixelFormat::bgr8);
  EXPECT_GE(frame.stride, 320u * 3);
  ASSERT_NE(frame.data, nullptr);
  EXPECT_EQ(camera()->describe().substr(0, 11), "320x240@25 ");
  std::size_t from = 0;
  EXPECT_TRUE(health_log.wait_for(HealthState::ready, from)) << health_log.dump();
}

TEST_F(CameraFileTest, LoopedFileKeepsProducingFramesPacedAtItsRate) {
  // 10 frames at 30 fps: a third of a second of video.
  seer::test::EventCollector frames;
  auto subscription = bus.subscribe("camera/cam/frame", frames.handler());
  const auto began = std::chrono::steady_clock::now();
  start("source: {file: " + clip({.fps = 30, .frames = 10}) + ", loop: true}\npublish_fps: 30\n");
  ASSERT_TRUE(frames.wait_for(45, kPatience)) << "only " << frames.size() << " frames";
  const auto elapsed = std::chrono::steady_clock::now() - began;
  plugin.stop();
  // 45 frames at 30 fps take 1.5 s; read as fast as they decode they would take a few ms.
  EXPECT_GE(elapsed, 1300ms) << "file frames are paced at the file's rate";
  std::uint64_t previous = 0;
  for (const EventPtr& event : frames.events()) {
    const std::uint64_t sequence = event->payload.at("sequence").to_number<std::uint64_t>();
    EXPECT_GT(sequence, previous);
    previous = sequence;
  }
  EXPECT_GT(previous, 30u) << "well past the clip's 10 frames";
}

TEST_F(CameraFileTest, SnapshotIsFreshAndQuick) {
#if defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "a bound of 5 ms on a frame's age: ThreadSanitizer slows the grabber many times";
#endif
  const ClipSpec spec{.fps = 30, .frames = 15};
  start("source: {file: " + clip(spec) + "}\n");
  camera()->snapshot(kPatience);  // the first frame
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / spec.fps)));
  std::chrono::nanoseconds slowest{0};
  std::uint64_t last_stamp = 0;
  for (int i = 0; i < 30; ++i) {
    const auto asked = std::chrono::steady_clock::now();
    const Image frame = camera()->snapshot(kPatience);
    const auto now = Clock::now();
    slowest = std::max(slowest, std::chrono::steady_clock::now() - asked);
    // A little slack for the time between snapshot() returning and reading the clock.
    EXPECT_LE(now - frame.captured_at, interval + 5ms) << "snapshot " << i;
    EXPECT_GE(now, frame.captured_at);
    last_stamp = static_cast<std::uint64_t>(unix_ms(frame.captured_at));
    std::this_thread::sleep_for(std::chrono::milliseconds(7 * i % 50));
  }
  EXPECT_GT(last_stamp, 0u);
  // Never more than one frame interval plus scheduling: the next frame is at most that far.
  EXPECT_LT(slowest, interval + 100ms);
}

TEST_F(CameraFileTest, ReadsTheVtestAssetAtItsTrueSize) {
  const auto vtest = seer::test::asset("videos/vtest.avi");
  ASSERT_TRUE(std::filesystem::exists(vtest));
  start("source: {file: " + vtest.string() + "}\n");
  const Image frame = camera()->snapshot(kPatience);
  EXPECT_EQ(frame.width, 768);
  EXPECT_EQ(frame.height, 576);
  EXPECT_EQ(camera()->describe(), "768x576@10 " + vtest.string());
}

TEST_F(CameraFileTest, FileWithoutLoopReportsItsEnd) {
  start("source: {file: " + clip({.frames = 5}) + ", loop: false}\n");
  std::size_t from = 0;
  ASSERT_TRUE(health_log.wait_for(HealthState::ready, from)) << health_log.dump();
  ASSERT_TRUE(health_log.wait_for(HealthState::degraded, from)) << health_log.dump();
  EXPECT_NE(health_log.changes().back().reason.find("reached the end"), std::string::npos);
  try {
    camera()->snapshot(100ms);
    FAIL() << "a finished file gives no fresh frames";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("reached the end"), std::string::npos) << error.what();
  }
}

TEST_F(CameraFileTest, FrameEventsCarryThePixelsAsASharedAttachment) {
  seer::test::EventCollector frames;
  auto subscription = bus.subscribe("camera/cam/frame", frames.handler());
  start("source: {file: " + clip({.size = {160, 120}, .fps = 30}) + "}\npublish_fps: 10\n");
  ASSERT_TRUE(frames.wait_for(8, kPatience));
  plugin.stop();
  const auto events = frames.events();
  for (const EventPtr& event : events) {
    EXPECT_EQ(event->source, "cam");
    const boost::json::object& payload = event->payload.as_object();
    EXPECT_EQ(payload.at("width").to_number<int>(), 160);
    EXPECT_EQ(payload.at("height").to_number<int>(), 120);
    EXPECT_EQ(payload.at("format").as_string(), "bgr8");
    EXPECT_GT(payload.at("timestamp").to_number<std::int64_t>(), 1'600'000'000'000);
    ASSERT_EQ(event->attachments.size(), 1u);
    const Attachment& pixels = event->attachments.front();
    EXPECT_EQ(pixels.name, "frame");
    ASSERT_NE(pixels.data, nullptr);
    EXPECT_EQ(pixels.size, pixels.meta.at("stride").to_number<std::size_t>() * 120);
  }
  // 30 fps published at 10 fps: about every third frame; deadlines follow each other, so the
  // count over a span never exceeds one per 100 ms (plus the first).
  const auto stamp = [&](std::size_t i) {
    return events[i]->payload.at("timestamp").to_number<std::int64_t>();
  };
  const std::int64_t span_ms = stamp(events.size() - 1) - stamp(0);
  EXPECT_LE(static_cast<std::int64_t>(events.size() - 1) * 100, span_ms + 100);
  const std::int64_t frames_read = events.back()->payload.at("sequence").to_number<std::int64_t>() -
                                   events.front()->payload.at("sequence").to_number<std::int64_t>();
  EXPECT_GE(frames_read, 2 * static_cast<std::int64_t>(events.size() - 1)) << "frames skipped";
}

TEST_F(CameraFileTest, SnapshotSharesThePublishedPixels) {
  seer::test::EventCollector frames;
  auto subscription = bus.subscribe("camera/cam/frame", frames.handler());
  start("source: {file: " + clip({.fps = 5}) + "}\npublish_fps: 5\n");
  const Image frame = camera()->snapshot(kPatience);
  ASSERT_TRUE(frames.wait_for(1, kPatience));
  bool shared = false;
  for (const EventPtr& event : frames.events()) {
    shared = shared || event->attachments.front().data == frame.data;
  }
  EXPECT_TRUE(shared) << "the attachment is the snapshot's buffer, not a copy";
}

TEST_F(CameraFileTest, MotionFiresOnAMovingBlockThroughThePlugin) {
  seer::test::EventCollector motion;
  auto subscription = bus.subscribe("camera/cam/motion", motion.handler());
  start("source: {file: " + clip({.fps = 30, .frames = 40, .moving_block = true}) +
        "}\nmotion: {threshold: 25, inertia: 3}\n");
  ASSERT_TRUE(motion.wait_for(1, kPatience));
  const boost::json::object& payload = motion.events().front()->payload.as_object();
  EXPECT_EQ(payload.at("state").as_string(), "start");
  EXPECT_GT(payload.at("area").to_number<double>(), 0);
  ASSERT_FALSE(payload.at("boxes").as_array().empty());
  EXPECT_EQ(payload.at("boxes").as_array().front().as_array().size(), 4u);
  EXPECT_GT(payload.at("timestamp").to_number<std::int64_t>(), 1'600'000'000'000);
}

TEST_F(CameraFileTest, NoMotionOnAStaticClipThroughThePlugin) {
  seer::test::EventCollector motion, frames;
  auto motion_subscription = bus.subscribe("camera/cam/motion", motion.handler());
  auto frame_subscription = bus.subscribe("camera/cam/frame", frames.handler());
  start("source: {file: " + clip({.fps = 30, .frames = 20}) +
        "}\npublish_fps: 30\nmotion: {threshold: 10, inertia: 1}\n");
  // A second and a half of frames, looping the clip several times.
  ASSERT_TRUE(frames.wait_for(45, kPatience));
  plugin.stop();
  EXPECT_EQ(motion.size(), 0u);
}

TEST_F(CameraFileTest, MissingFileIsDegradedWithAReasonAndSnapshotsSayWhy) {
  const std::string missing = (temp.path() / "nowhere.avi").string();
  start("source: {file: " + missing + "}\nreconnect: {initial: 50ms, max: 200ms}\n");
  std::size_t from = 0;
  ASSERT_TRUE(health_log.wait_for(HealthState::degraded, from)) << health_log.dump();
  const std::string reason = health_log.changes()[from - 1].reason;
  EXPECT_NE(reason.find(missing + " does not exist"), std::string::npos) << reason;
  EXPECT_NE(reason.find("retrying in"), std::string::npos) << reason;
  ASSERT_TRUE(health_log.wait_for(HealthState::degraded, from)) << "it keeps retrying";
  try {
    camera()->snapshot(50ms);
    FAIL() << "no frames from a missing file";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("does not exist"), std::string::npos) << error.what();
  }
}

TEST_F(CameraFileTest, NotAVideoIsAClearErrorNotACrash) {
  const auto bogus = temp.path() / "bogus.avi";
  std::ofstream(bogus) << "this is not a video";
  start("source: {file: " + bogus.string() + "}\nreconnect: {initial: 1s}\n");
  std::size_t from = 0;
  ASSERT_TRUE(health_log.wait_for(HealthState::degraded, from)) << health_log.dump();
  EXPECT_NE(health_log.changes()[from - 1].reason.find("cannot read video file"), std::string::npos)
      << health_log.dump();
}

TEST_F(CameraFileTest, StopReturnsPromptlyDuringABackoffWait) {
  start("source: {file: " + (temp.path() / "nowhere.avi").string() +
        "}\nreconnect: {initial: 20s, max: 30s, jitter: 0}\n");
  std::size_t from = 0;
  ASSERT_TRUE(health_log.wait_for(HealthState::degraded, from));
  const auto asked = std::chrono::steady_clock::now();
  plugin.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 500ms);
  EXPECT_THROW(camera()->snapshot(10ms), std::runtime_error) << "stopped";
}

}  // namespace
}  // namespace seer::camera::test
