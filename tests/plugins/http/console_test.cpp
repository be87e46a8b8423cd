// The web console and seer's own API over real sockets: `/` for browsers and other clients,
// the embedded console files (and nothing else), the camera frame, an agent's vision report
// and the plugins' health, all fed by events the test publishes on the bus.
#include <gtest/gtest.h>

#include <seer/image_io.hpp>

#include <cstring>

#include "camera_frames.hpp"
#include "http_test_support.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;

const Headers kBrowser{{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}};

// A camera-like `camera/<name>/frame` event: a width × height BGR frame, left half red.
Event frame_event(const std::string& camera, int width, int height, std::uint64_t sequence) {
  const std::size_t stride = static_cast<std::size_t>(width) * 3;
  const std::size_t size = stride * static_cast<std::size_t>(height);
  std::shared_ptr<std::byte[]> pixels(new std::byte[size]);
  std::memset(pixels.get(), 0, size);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width / 2; ++x) pixels[stride * y + x * 3 + 2] = std::byte{255};
  }
  Event event;
  event.topic = "camera/" + camera + "/frame";
  event.source = camera;
  event.payload = json::object{
      {"width", width}, {"height", height}, {"format", "bgr8"}, {"sequence", sequence}};
  Attachment attachment;
  attachment.name = "frame";
  attachment.media_type = "image/x-raw";
  attachment.data = std::shared_ptr<const std::byte>(pixels, pixels.get());
  attachment.size = size;
  attachment.meta = {{"width", width}, {"height", height}, {"stride", stride}, {"format", "bgr8"}};
  event.attachments.push_back(std::move(attachment));
  return event;
}

json::object vision_report(int face_x) {
  return {{"frame", {{"width", 64}, {"height", 48}}},
          {"faces", json::array{{{"box", {face_x, 8, 16, 16}}, {"score", 0.9}}}},
          {"timings_ms", {{"capture", 12.5}, {"faces", 30.0}}},
          {"agent", "sophia"},
          {"reason", "test"}};
}

class WebConsole : public ::testing::Test {
 protected:
  HttpWorld world;
  HttpTestClient client = world.client();
};

TEST_F(WebConsole, RootServesThePageToBrowsersAndOllamaIsRunningToOthers) {
  const Response page = client.get("/", kBrowser);
  ASSERT_EQ(page.result(), beast_http::status::ok);
  EXPECT_EQ(page[beast_http::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(page.body().find("/console/console.js"), std::string::npos);

  const Response plain = client.get("/");
  EXPECT_EQ(plain.result(), beast_http::status::ok);
  EXPECT_EQ(plain[beast_http::field::content_type], "text/plain; charset=utf-8");
  EXPECT_EQ(plain.body(), "Ollama is running");

  const Response head = client.request(beast_http::verb::head, "/");
  EXPECT_EQ(head.result(), beast_http::status::ok);
  EXPECT_EQ(head[beast_http::field::content_length], "17");
  EXPECT_TRUE(head.body().empty());
}

TEST_F(WebConsole, ServesEveryConsoleFileWithItsTypeAndETag) {
  const std::vector<std::pair<std::string, std::string>> files{
      {"index.html", "text/html; charset=utf-8"},
      {"console.js", "text/javascript; charset=utf-8"},
      {"console.css", "text/css; charset=utf-8"}};
  for (const auto& [name, type] : files) {
    const Response response = client.get("/console/" + name);
    ASSERT_EQ(response.result(), beast_http::status::ok) << name;
    EXPECT_EQ(response[beast_http::field::content_type], type) << name;
    EXPECT_GT(response.body().size(), 100u) << name;
    const std::string etag(response[beast_http::field::etag]);
    ASSERT_FALSE(etag.empty()) << name;
    EXPECT_EQ(response[beast_http::field::cache_control], "no-cache");
    const Response again = client.get("/console/" + name, {{"If-None-Match", etag}});
    EXPECT_EQ(again.result(), beast_http::status::not_modified) << name;
    EXPECT_TRUE(again.body().empty());
  }
}

TEST_F(WebConsole, OnlyTheEmbeddedNamesExist) {
  for (const std::string target :
       {"/console/", "/console/nope.js", "/console/../http_plugin.cpp",
        "/console/%2e%2e/http_plugin.cpp", "/console/%2e%2e%2fhttp_plugin.cpp",
        "/console/..%2F..%2Fetc%2Fpasswd", "/console//index.html", "/console/index.html/",
        "/console/INDEX.HTML"}) {
    EXPECT_EQ(client.get(target).result(), beast_http::status::not_found) << target;
  }
  EXPECT_EQ(client.post("/console/index.html", "x").result(),
            beast_http::status::method_not_allowed);
}

TEST_F(WebConsole, FrameIsTheLatestCameraFrameAsJpeg) {
  EXPECT_EQ(client.get("/api/seer/frame?camera=door").result(), beast_http::status::not_found);
  EXPECT_EQ(client.get("/api/seer/frame").result(), beast_http::status::not_found);

  world.runtime().bus().publish(frame_event("door", 64, 48, 7));
  ASSERT_TRUE(eventually([&] {
    return client.get("/api/seer/frame?camera=door").result() == beast_http::status::ok;
  }));
  const Response frame = client.get("/api/seer/frame?camera=door");
  EXPECT_EQ(frame[beast_http::field::content_type], "image/jpeg");
  EXPECT_EQ(frame[beast_http::field::cache_control], "no-store");
  EXPECT_EQ(frame["X-Seer-Frame-Sequence"], "7");
  const auto bytes = std::as_bytes(std::span(frame.body().data(), frame.body().size()));
  const Image image = image_io::decode_image(bytes);
  EXPECT_EQ(image.width, 64);
  EXPECT_EQ(image.height, 48);
  // The left half is red in the JPEG too (BGR: blue 0, red 255 give or take compression).
  const auto* pixel = reinterpret_cast<const unsigned char*>(image.data.get());
  EXPECT_GT(pixel[2], 200);
  EXPECT_LT(pixel[0], 60);

  // Without a camera: the camera that sent a frame last. Another camera is its own.
  EXPECT_EQ(client.get("/api/seer/frame").result(), beast_http::status::ok);
  const Response other = client.get("/api/seer/frame?camera=garden");
  EXPECT_EQ(other.result(), beast_http::status::not_found);
  EXPECT_EQ(json_body(other).at("error"), "no frame from camera 'garden' yet");
}

TEST_F(WebConsole, AFrameWhosePixelsDoNotMatchItsMetaIsIgnored) {
  Event event = frame_event("door", 64, 48, 1);
  event.attachments[0].size = 100;  // fewer bytes than 64 × 48 × 3
  world.runtime().bus().publish(std::move(event));
  world.runtime().bus().publish(frame_event("probe", 8, 8, 1));
  ASSERT_TRUE(eventually([&] {
    return client.get("/api/seer/frame?camera=probe").result() == beast_http::status::ok;
  }));
  EXPECT_EQ(client.get("/api/seer/frame?camera=door").result(), beast_http::status::not_found);
}

TEST_F(WebConsole, ReportIsTheAgentsLastVisionReport) {
  const Response before = client.get("/api/seer/agents/sophia/report");
  EXPECT_EQ(before.result(), beast_http::status::not_found);
  EXPECT_EQ(json_body(before).at("error"), "no vision report from agent 'sophia' yet");

  world.runtime().bus().publish("agents/sophia/vision_report", vision_report(4), "agent:sophia");
  world.runtime().bus().publish("agents/sophia/vision_report", vision_report(20), "agent:sophia");
  ASSERT_TRUE(eventually([&] {
    const Response response = client.get("/api/seer/agents/sophia/report");
    return response.result() == beast_http::status::ok &&
           json_body(response).at("faces").at(0).at("box").at(0) == 20;
  }));
  const json::value report = json_body(client.get("/api/seer/agents/sophia/report"));
  EXPECT_EQ(report.at("frame").at("width"), 64);
  EXPECT_EQ(report.at("agent"), "sophia");

  EXPECT_EQ(client.get("/api/seer/agents/sophia").result(), beast_http::status::not_found);
  EXPECT_EQ(client.get("/api/seer/agents//report").result(), beast_http::status::not_found);
  EXPECT_EQ(client.get("/api/seer/agents/ana/report").result(), beast_http::status::not_found);
}

TEST_F(WebConsole, StatusListsThePluginsHealthCamerasAndAgents) {
  world.runtime().bus().publish(
      "seer/health/mqtt",
      json::object{{"instance", "mqtt"}, {"state", "degraded"}, {"reason", "broker unreachable"}},
      "runtime");
  world.runtime().bus().publish(frame_event("door", 16, 12, 1));
  world.runtime().bus().publish("agents/sophia/vision_report", vision_report(4), "agent:sophia");
  ASSERT_TRUE(eventually([&] {
    const json::value status = json_body(client.get("/api/seer/status"));
    return status.at("plugins").as_array().size() >= 1 &&
           status.at("cameras").as_array().size() == 1 &&
           status.at("agents_with_reports").as_array().size() == 1;
  }));
  const json::value status = json_body(client.get("/api/seer/status"));
  bool saw_mqtt = false;
  for (const json::value& plugin : status.at("plugins").as_array()) {
    if (plugin.at("instance") != "mqtt") continue;
    saw_mqtt = true;
    EXPECT_EQ(plugin.at("state"), "degraded");
    EXPECT_EQ(plugin.at("reason"), "broker unreachable");
  }
  EXPECT_TRUE(saw_mqtt);
  const json::value& camera = status.at("cameras").at(0);
  EXPECT_EQ(camera.at("name"), "door");
  EXPECT_EQ(camera.at("width"), 16);
  EXPECT_EQ(camera.at("frames"), 1);
  EXPECT_EQ(status.at("agents_with_reports").at(0), "sophia");
}

TEST(CameraFrames, FpsFollowsTheCamerasSequenceNumbersAndSkippedFramesCount) {
  CameraFrames frames;
  const auto began = std::chrono::steady_clock::now();
  frames.record(frame_event("door", 8, 8, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(1050));
  // 30 frames later by the camera's count, though only this one reached the plugin.
  frames.record(frame_event("door", 8, 8, 31));
  // The first frame's JPEG encoding is in the window too: a second or more under TSan.
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - began;
  const auto stats = frames.stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].frames, 2u);
  EXPECT_GE(stats[0].fps, 30 / elapsed.count());
  EXPECT_LE(stats[0].fps, 30);
  EXPECT_EQ(frames.latest("door")->sequence, 31u);
}

class WebConsoleAuth : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("SEER_HTTP_TEST_TOKEN", "s3cret-token", 1); }
  void TearDown() override { ::unsetenv("SEER_HTTP_TEST_TOKEN"); }
};

TEST_F(WebConsoleAuth, ThePageIsOpenAndSeersApiNeedsTheToken) {
  HttpWorld world("  http: {port: 0, token_env: SEER_HTTP_TEST_TOKEN}\n");
  auto client = world.client();
  EXPECT_EQ(client.get("/", kBrowser).result(), beast_http::status::ok);
  EXPECT_EQ(client.get("/console/console.js").result(), beast_http::status::ok);
  for (const std::string target :
       {"/api/seer/status", "/api/seer/frame", "/api/seer/agents/sophia/report", "/metrics"}) {
    EXPECT_EQ(client.get(target).result(), beast_http::status::unauthorized) << target;
  }
  EXPECT_EQ(client.get("/api/seer/status", {{"Authorization", "Bearer s3cret-token"}}).result(),
            beast_http::status::ok);
  EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer s3cret-token"}}).result(),
            beast_http::status::ok);
}

}  // namespace
}  // namespace seer::http::test
