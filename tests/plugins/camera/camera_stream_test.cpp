// The `url` source against an HTTP MJPEG stream served on 127.0.0.1 by the test itself:
// reading it, losing it and getting it back, and stopping while an open hangs.

#include "camera_test_support.hpp"
#include "mjpeg_server.hpp"
#include "synthetic_video.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace seer::camera::test {
namespace {

class CameraStreamTest : public CameraHarness {
 protected:
  const ClipSpec spec{.size = {320, 240}, .frames = 20, .moving_block = true};
};

TEST_F(CameraStreamTest, ReadsAnHttpMjpegStream) {
  MjpegServer server(clip_jpegs(spec), 20);
  start("source: {url: '" + server.url() + "'}\n");
  const Image first = camera()->snapshot(kPatience);
  EXPECT_EQ(first.width, 320);
  EXPECT_EQ(first.height, 240);
  const Image later = camera()->snapshot(kPatience);
  EXPECT_GT(later.captured_at, first.captured_at - std::chrono::milliseconds(1));
  std::this_thread::sleep_for(200ms);
  EXPECT_GT(camera()->snapshot(kPatience).captured_at, first.captured_at) << "frames keep coming";
  EXPECT_NE(camera()->describe().find("320x240@"), std::string::npos) << camera()->describe();
  EXPECT_NE(camera()->describe().find(server.url()), std::string::npos) << camera()->describe();
}

TEST_F(CameraStreamTest, StreamThatDropsIsDegradedAndRecovers) {
  auto server = std::make_unique<MjpegServer>(clip_jpegs(spec), 20);
  const unsigned short port = server->port();
  start("source: {url: '" + server->url() +
        "', open_timeout: 2s, read_timeout: 2s}\nreconnect: {initial: 100ms, max: 400ms}\n");
  std::size_t from = 0;
  ASSERT_TRUE(health_log.wait_for(HealthState::ready, from)) << health_log.dump();

  server->stop();
  ASSERT_TRUE(health_log.wait_for(HealthState::degraded, from)) << health_log.dump();
  EXPECT_NE(health_log.changes()[from - 1].reason.find("127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << health_log.dump();
  EXPECT_THROW(camera()->snapshot(100ms), std::runtime_error);

  server = std::make_unique<MjpegServer>(clip_jpegs(spec), 20, port);
  ASSERT_TRUE(health_log.wait_for(HealthState::ready, from)) << health_log.dump();
  EXPECT_EQ(camera()->snapshot(kPatience).width, 320);
}

TEST_F(CameraStreamTest, StopReturnsPromptlyWhileAnOpenHangs) {
  // A listener that never answers: the TCP handshake completes, the HTTP reply never comes.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  const std::string url =
      "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/stream.mjpg";
  constexpr auto kOpenTimeout = 2s;
  start("source: {url: '" + url + "', open_timeout: 2s}\n");
  std::this_thread::sleep_for(300ms);  // the grabber is inside the open now
  const auto asked = std::chrono::steady_clock::now();
  plugin.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 1500ms);
  EXPECT_EQ(health_log.changes().back().state, HealthState::starting)
      << "nothing reported after stop";
  // Let the abandoned open run out before the process ends.
  std::this_thread::sleep_for(kOpenTimeout + 500ms);
  EXPECT_EQ(health_log.changes().back().state, HealthState::starting) << health_log.dump();
}

}  // namespace
}  // namespace seer::camera::test
