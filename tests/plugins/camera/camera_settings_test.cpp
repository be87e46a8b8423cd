// Reading the camera section: each source kind, defaults, and errors that point at the key.

#include "camera_settings.hpp"
#include "video_capture_source.hpp"

#include <gtest/gtest.h>

#include <string>

namespace seer::camera {
namespace {

CameraSettings read(std::string_view text) {
  return read_camera_settings(ConfigNode::load_string(text, "camera.yaml"));
}

std::string error_of(std::string_view text) {
  try {
    read(text);
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return {};
}

TEST(CameraSettings, DeviceDefaultsTo1280x720At30) {
  const CameraSettings settings = read("source: {device: /dev/video2}\n");
  EXPECT_EQ(settings.source.kind, SourceKind::device);
  EXPECT_EQ(settings.source.device, "/dev/video2");
  EXPECT_EQ(settings.source.width, 1280);
  EXPECT_EQ(settings.source.height, 720);
  EXPECT_DOUBLE_EQ(settings.source.fps, 30);
  EXPECT_EQ(settings.publish_fps, 0);
  EXPECT_FALSE(settings.motion);
  EXPECT_EQ(settings.reconnect.initial, std::chrono::milliseconds(500));
  EXPECT_EQ(settings.reconnect.max, std::chrono::seconds(30));
}

TEST(CameraSettings, EachSourceKindReadsItsOptions) {
  const CameraSettings device =
      read("source: {device: 1, width: 640, height: 480, fps: 15, fourcc: MJPG}\n");
  EXPECT_EQ(device.source.device, "1");
  EXPECT_EQ(device.source.width, 640);
  EXPECT_EQ(device.source.fourcc, "MJPG");

  const CameraSettings file = read("source: {file: /v/door.mp4, loop: false}\n");
  EXPECT_EQ(file.source.kind, SourceKind::file);
  EXPECT_EQ(file.source.path, "/v/door.mp4");
  EXPECT_FALSE(file.source.loop);

  const CameraSettings url = read("source: {url: 'rtsp://cam/live', open_timeout: 2s}\n");
  EXPECT_EQ(url.source.kind, SourceKind::url);
  EXPECT_EQ(url.source.open_timeout, std::chrono::seconds(2));

  const CameraSettings images = read("source: {images: /photos, rate: 0.5}\n");
  EXPECT_EQ(images.source.kind, SourceKind::images);
  EXPECT_DOUBLE_EQ(images.source.rate, 0.5);
}

TEST(CameraSettings, MotionAndReconnectSections) {
  const CameraSettings settings = read(
      "source: {file: a.avi}\n"
      "publish_fps: 5\n"
      "reconnect: {initial: 100ms, max: 2s, jitter: 0}\n"
      "motion: {threshold: 40, min_area: 0.01, inertia: 2, cooldown: 1s, off_delay: 3s}\n");
  EXPECT_DOUBLE_EQ(settings.publish_fps, 5);
  EXPECT_EQ(settings.reconnect.initial, std::chrono::milliseconds(100));
  EXPECT_EQ(settings.reconnect.jitter, 0);
  ASSERT_TRUE(settings.motion);
  EXPECT_EQ(settings.motion->threshold, 40);
  EXPECT_DOUBLE_EQ(settings.motion->min_area, 0.01);
  EXPECT_EQ(settings.motion->inertia, 2);
  EXPECT_EQ(settings.motion->off_delay, std::chrono::seconds(3));

  EXPECT_FALSE(read("source: {file: a.avi}\nmotion: {enabled: false}\n").motion);
}

TEST(CameraSettings, ErrorsNameTheKeyAndWhatIsExpected) {
  EXPECT_NE(error_of("publish_fps: 1\n").find("missing 'source'"), std::string::npos);
  EXPECT_NE(error_of("source: /dev/video0\n").find("source must be a map"), std::string::npos);
  EXPECT_NE(error_of("source: {file: a.avi, url: 'http://x'}\n").find("give exactly one"),
            std::string::npos);
  EXPECT_NE(error_of("source: {rate: 2}\n").find("needs one of"), std::string::npos);
  EXPECT_NE(error_of("source: {device: 0, loop: true}\n")
                .find("'loop' does not apply to a device source"),
            std::string::npos);
  const std::string threshold = error_of("source: {file: a}\nmotion: {threshold: 300}\n");
  EXPECT_NE(threshold.find("motion.threshold"), std::string::npos) << threshold;
  EXPECT_NE(threshold.find("from 1 to 255"), std::string::npos) << threshold;
  EXPECT_NE(error_of("source: {file: a}\nreconnect: {initial: 5s, max: 1s}\n").find("below"),
            std::string::npos);
  EXPECT_NE(error_of("source: {file: a}\npublish_fps: -1\n").find("publish_fps"),
            std::string::npos);
  EXPECT_NE(error_of("source: {device: 0, fourcc: MJPEG}\n").find("four characters"),
            std::string::npos);
}

TEST(CameraSettings, SchemaListsEveryKey) {
  const ConfigSchema schema = camera_config_schema();
  for (const char* key : {"source", "reconnect", "publish_fps", "motion"}) {
    EXPECT_NE(schema.find(key), nullptr) << key;
  }
  const auto diagnostics = schema.validate(ConfigNode::load_string(
      "source: {file: a.avi, loop: true}\nmotion: {threshold: 20}\n", "camera.yaml"));
  EXPECT_TRUE(diagnostics.empty());
}

TEST(RedactCredentials, HidesUserAndPassword) {
  EXPECT_EQ(redact_credentials("rtsp://admin:secret@10.0.0.5:554/live"),
            "rtsp://***@10.0.0.5:554/live");
  EXPECT_EQ(redact_credentials("http://cam.local/mjpg?user=a@b"), "http://cam.local/mjpg?user=a@b");
  EXPECT_EQ(redact_credentials("rtsp://10.0.0.5/live"), "rtsp://10.0.0.5/live");
}

}  // namespace
}  // namespace seer::camera
