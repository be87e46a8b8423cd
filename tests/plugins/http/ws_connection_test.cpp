// /ws connections: the token (in the upgrade's header or in hello), the message size limit,
// a client that stops reading, a plain GET, and the close on plugin stop.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "http_test_support.hpp"
#include "ws_test_agent.hpp"
#include "ws_test_client.hpp"

namespace seer::http::test {
namespace {

namespace json = boost::json;

constexpr std::uint16_t kPolicyViolation = 1008;
constexpr std::uint16_t kTooBig = 1009;
constexpr std::uint16_t kGoingAway = 1001;

class WsAuth : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ::setenv("SEER_WS_TEST_TOKEN", "s3cret-token", 1); }
  static void TearDownTestSuite() { ::unsetenv("SEER_WS_TEST_TOKEN"); }
  void SetUp() override { world.registry().add<Agent>("sophia", sophia, "test"); }

  HttpWorld world{"  http: {port: 0, token_env: SEER_WS_TEST_TOKEN}\n"};
  std::shared_ptr<WsTestAgent> sophia = std::make_shared<WsTestAgent>("sophia");
};

TEST_F(WsAuth, TheTokenInHelloOpensTheSession) {
  WsTestClient client(world.port());
  client.send({{"type", "hello"}, {"token", "s3cret-token"}});
  EXPECT_EQ(client.receive().at("type"), "welcome");
  client.send({{"type", "chat"}, {"id", 1}, {"text", "hi"}});
  EXPECT_EQ(client.receive_until("done").at("text"), "I see you.");
}

TEST_F(WsAuth, AWrongTokenInHelloIsUnauthorizedAndClosed) {
  WsTestClient client(world.port());
  client.send({{"type", "hello"}, {"token", "s3cret-tokeN"}});
  const json::value error = client.receive();
  EXPECT_EQ(error.at("type"), "error");
  EXPECT_EQ(error.at("code"), "unauthorized");
  EXPECT_EQ(client.read_until_closed(), kPolicyViolation);
}

TEST_F(WsAuth, HelloWithoutTokenIsUnauthorizedAndClosed) {
  WsTestClient client(world.port());
  client.send({{"type", "hello"}});
  EXPECT_EQ(client.receive().at("code"), "unauthorized");
  EXPECT_EQ(client.read_until_closed(), kPolicyViolation);
}

TEST_F(WsAuth, ChatBeforeHelloIsUnauthorizedAndClosed) {
  WsTestClient client(world.port());
  client.send({{"type", "chat"}, {"id", 1}, {"text", "hi"}});
  EXPECT_EQ(client.receive().at("code"), "unauthorized");
  EXPECT_EQ(client.read_until_closed(), kPolicyViolation);
  EXPECT_TRUE(sophia->turns().empty());
}

TEST_F(WsAuth, TheTokenInTheUpgradeHeaderNeedsNoHello) {
  WsTestClient client(world.port(), {{"Authorization", "Bearer s3cret-token"}});
  client.send({{"type", "chat"}, {"id", 1}, {"text", "hi"}});
  EXPECT_EQ(client.receive_until("done").at("text"), "I see you.");
}

TEST_F(WsAuth, AWrongTokenInTheUpgradeHeaderIsRefusedWith401) {
  EXPECT_EQ(refused_upgrade_status(world.port(), {{"Authorization", "Bearer wrong"}}), 401u);
  EXPECT_EQ(refused_upgrade_status(world.port(), {{"Authorization", "Bearer s3cret-token"}}), 0u);
}

TEST(WsOrigins, BrowsersOfOtherOriginsAreRefusedUnlessListed) {
  HttpWorld world("  http: {port: 0, cors_origins: [\"http://game.example\"]}\n");
  const std::string own = "127.0.0.1";  // the Host the test client sends
  EXPECT_EQ(refused_upgrade_status(world.port(), {{"Origin", "http://evil.example"}}), 403u);
  EXPECT_EQ(refused_upgrade_status(world.port(), {{"Origin", "http://" + own}}), 0u);
  EXPECT_EQ(refused_upgrade_status(world.port(), {{"Origin", "http://game.example"}}), 0u);
  EXPECT_EQ(refused_upgrade_status(world.port(), {}), 0u);  // not a browser
}

TEST(WsLimits, AMessageOverTheLimitIsRefusedAndClosedWith1009) {
  HttpWorld world("  http: {port: 0, ws_max_message: 65536}\n");
  WsTestClient client(world.port());
  client.send({{"type", "ping"}, {"id", 1}, {"padding", std::string(60'000, 'p')}});
  EXPECT_EQ(client.receive().at("type"), "pong");
  client.send({{"type", "ping"}, {"id", 2}, {"padding", std::string(200'000, 'p')}});
  const json::value error = client.receive();
  EXPECT_EQ(error.at("code"), "too_large");
  EXPECT_EQ(client.read_until_closed(), kTooBig);
}

TEST(WsLimits, AClientThatStopsReadingIsDroppedWhileAnotherKeepsChatting) {
  HttpWorld world("  http: {port: 0, workers: 2, ws_send_queue: 65536}\n");
  auto flooder = std::make_shared<WsTestAgent>("flooder");
  flooder->flood_piece_bytes = 16 * 1024;
  auto sophia = std::make_shared<WsTestAgent>("sophia");
  world.registry().add<Agent>("flooder", flooder, "test");
  world.registry().add<Agent>("sophia", sophia, "test");

  WsTestClient stalled(world.port(), {}, 4096);
  stalled.send({{"type", "chat"}, {"id", "flood"}, {"text", "everything"}, {"agent", "flooder"}});
  // The stalled client reads nothing while the flood fills its queue; the server drops it and
  // stops its generation.
  WsTestClient reader(world.port());
  for (int i = 0; i < 5; ++i) {
    reader.send({{"type", "chat"}, {"id", i}, {"text", "hello"}, {"agent", "sophia"}});
    EXPECT_EQ(reader.receive_until("done", i).at("text"), "I see you.");
  }
  ASSERT_TRUE(eventually([&] { return flooder->cancelled() && flooder->running() == 0; }));
  reader.send({{"type", "chat"}, {"id", "after"}, {"text", "still here"}, {"agent", "sophia"}});
  EXPECT_EQ(reader.receive_until("done", "after").at("text"), "I see you.");

  // What reached the stalled client ends without a done frame: closed with 1013, or cut off.
  bool saw_done = false;
  try {
    while (true) saw_done = saw_done || stalled.receive().at("type") == "done";
  } catch (const boost::system::system_error&) {
  }
  EXPECT_FALSE(saw_done);
  if (stalled.close_code()) {
    EXPECT_EQ(*stalled.close_code(), 1013);
  }
}

TEST(WsRoutes, APlainGetIs426) {
  HttpWorld world;
  auto client = world.client();
  const Response response = client.get("/ws");
  EXPECT_EQ(response.result_int(), 426u);
  EXPECT_NE(response.body().find("WebSocket"), std::string::npos);
}

TEST(WsRoutes, StoppingThePluginClosesSessionsWithGoingAway) {
  HttpWorld world;
  WsTestClient client(world.port());
  client.send({{"type", "ping"}});
  EXPECT_EQ(client.receive().at("type"), "pong");
  std::thread stopping([&] { world.runtime().stop(); });
  EXPECT_EQ(client.read_until_closed(), kGoingAway);
  stopping.join();
}

}  // namespace
}  // namespace seer::http::test
