// The server core over real sockets: probes, routing errors, limits, keep-alive, health and
// the bearer token.
#include <gtest/gtest.h>

#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdlib>

#include "http_test_support.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;

TEST(HttpServer, RootAnswersOllamaIsRunningToGetAndHead) {
  HttpWorld world;
  auto client = world.client();
  const Response got = client.get("/");
  EXPECT_EQ(got.result(), beast_http::status::ok);
  EXPECT_EQ(got.body(), "Ollama is running");
  EXPECT_EQ(got[beast_http::field::content_type], "text/plain; charset=utf-8");
  const Response head = client.request(beast_http::verb::head, "/");
  EXPECT_EQ(head.result(), beast_http::status::ok);
  EXPECT_EQ(head[beast_http::field::content_length], "17");
  EXPECT_TRUE(head.body().empty());
}

TEST(HttpServer, UnknownPathsAre404AndWrongMethods405OnTheSameConnection) {
  HttpWorld world;
  auto client = world.client();
  const Response missing = client.get("/api/nothing");
  EXPECT_EQ(missing.result(), beast_http::status::not_found);
  EXPECT_TRUE(json_body(missing).as_object().contains("error"));
  const Response wrong = client.post("/api/tags", "{}");
  EXPECT_EQ(wrong.result(), beast_http::status::method_not_allowed);
  EXPECT_EQ(client.get("/api/version").result(), beast_http::status::ok) << "keep-alive";
}

TEST(HttpServer, VersionIsOllamas) {
  HttpWorld world;
  auto client = world.client();
  const auto body = json_body(client.get("/api/version?verbose=1"));
  EXPECT_TRUE(body.at("version").is_string());
}

TEST(HttpServer, BodiesOverMaxBodyAre413FromTheHeaderAlone) {
  HttpWorld world("  http: {port: 0, max_body: 1000}\n");
  auto client = world.client();
  // Only the header is sent: the answer must not wait for the 5000 bytes it announces.
  const Response response = client.raw(
      "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 5000\r\n\r\n");
  EXPECT_EQ(response.result(), beast_http::status::payload_too_large);
  EXPECT_NE(json_body(response).at("error").as_string().find("1000"), std::string::npos);
  EXPECT_TRUE(client.server_closed()) << "the unread body cannot be skipped: the server closes";

  auto next = world.client();
  EXPECT_EQ(next.post("/api/show", std::string(900, ' ')).result(), beast_http::status::bad_request)
      << "a body under the limit is read";
}

TEST(HttpServer, IdleConnectionsAndSlowBodiesTimeOut) {
  HttpWorld world("  http: {port: 0, idle_timeout: 200ms, request_timeout: 200ms}\n");
  auto idle = world.client();
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(idle.server_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));

  auto slow = world.client();
  EXPECT_EQ(slow.get("/api/version").result(), beast_http::status::ok);
  // Half of the announced body, then nothing.
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), world.port()});
  const std::string partial =
      "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"mo";
  boost::asio::write(socket, boost::asio::buffer(partial));
  char byte = 0;
  boost::system::error_code error;
  socket.read_some(boost::asio::buffer(&byte, 1), error);
  EXPECT_EQ(error, boost::asio::error::eof) << "the server gave up on the body";
}

TEST(HttpServer, RepliesCarryTheRequestIdTheyAreLoggedUnder) {
  HttpWorld world;
  auto client = world.client();
  const std::string first(client.get("/")["X-Request-Id"]);
  const std::string second(client.get("/")["X-Request-Id"]);
  EXPECT_FALSE(first.empty());
  EXPECT_NE(first, second);
}

TEST(HttpServer, MalformedHttpIs400) {
  HttpWorld world;
  auto client = world.client();
  const Response response = client.raw("NOT-HTTP\r\n\r\n");
  EXPECT_EQ(response.result(), beast_http::status::bad_request);
}

TEST(HttpServer, HealthzIsOkOrSaysWhichPluginIsStillLoading) {
  HttpWorld world;
  auto client = world.client();
  const Response ok = client.get("/healthz");
  EXPECT_EQ(ok.result(), beast_http::status::ok);
  EXPECT_EQ(json_body(ok).at("status"), "ok");

  world.runtime().bus().publish(
      "seer/health/bagel",
      boost::json::object{{"instance", "bagel"}, {"state", "starting"}, {"reason", "loading x"}},
      "runtime");
  ASSERT_TRUE(
      eventually([&] { return client.get("/healthz").result() != beast_http::status::ok; }));
  const Response loading = client.get("/healthz");
  EXPECT_EQ(loading.result(), beast_http::status::service_unavailable);
  EXPECT_EQ(json_body(loading).at("reason"), "bagel: loading x");

  world.runtime().bus().publish(
      "seer/health/bagel",
      boost::json::object{{"instance", "bagel"}, {"state", "ready"}, {"reason", "loaded x"}},
      "runtime");
  EXPECT_TRUE(
      eventually([&] { return client.get("/healthz").result() == beast_http::status::ok; }));
}

TEST(HttpServer, ReportsTheBoundPortInItsHealth) {
  HttpWorld world;
  EXPECT_GT(world.port(), 0);
}

class HttpAuth : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("SEER_HTTP_TEST_TOKEN", "s3cret-token", 1); }
  void TearDown() override { ::unsetenv("SEER_HTTP_TEST_TOKEN"); }
};

TEST_F(HttpAuth, EveryRequestButTheRootProbeNeedsTheBearerToken) {
  HttpWorld world("  http: {port: 0, token_env: SEER_HTTP_TEST_TOKEN}\n");
  auto client = world.client();
  EXPECT_EQ(client.get("/").result(), beast_http::status::ok) << "probes stay open";
  const Response missing = client.get("/api/tags");
  EXPECT_EQ(missing.result(), beast_http::status::unauthorized);
  EXPECT_EQ(json_body(missing).at("error"), "unauthorized");
  EXPECT_EQ(client.get("/api/tags", {{"Authorization", "Bearer wrong-token!"}}).result(),
            beast_http::status::unauthorized);
  EXPECT_EQ(client.get("/api/tags", {{"Authorization", "Bearer s3cret-token"}}).result(),
            beast_http::status::ok);
  EXPECT_EQ(client.get("/api/tags", {{"Authorization", "bearer s3cret-token"}}).result(),
            beast_http::status::ok);
  EXPECT_EQ(client.post("/api/chat", "{}").result(), beast_http::status::unauthorized);
}

TEST_F(HttpAuth, ANonLoopbackHostWithoutATokenRefusesToStart) {
  try {
    HttpWorld world("  http: {host: 0.0.0.0, port: 0}\n");
    FAIL() << "the plugin started without a token on 0.0.0.0";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("needs a bearer token"), std::string::npos)
        << error.what();
  }
  HttpWorld world("  http: {host: 0.0.0.0, port: 0, token_env: SEER_HTTP_TEST_TOKEN}\n");
  EXPECT_GT(world.port(), 0);
}

TEST_F(HttpAuth, AnUnsetTokenVariableIsAConfigurationError) {
  ::unsetenv("SEER_HTTP_TEST_TOKEN");
  EXPECT_THROW(HttpWorld("  http: {port: 0, token_env: SEER_HTTP_TEST_TOKEN}\n"),
               std::runtime_error);
}

}  // namespace
}  // namespace seer::http::test
