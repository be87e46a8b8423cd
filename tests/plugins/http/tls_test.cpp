// TLS on the http plugin's listener over real sockets: HTTPS and wss:// on one port with the
// test certificate (tls/README.md), refused handshakes, timeouts, 413, the disconnect watch,
// graceful shutdowns, and the configuration errors of certificates and keys.
#include <gtest/gtest.h>

#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "http_test_support.hpp"
#include "tls_test_client.hpp"

namespace seer::http::test {
namespace {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
namespace json = boost::json;
using std::chrono::steady_clock;

// The http section's TLS keys, for a flow map.
std::string tls_keys(const std::string& key = "server.key") {
  return "tls_certificate: \"" + tls_file("server.pem") + "\", tls_private_key: \"" +
         tls_file(key) + "\"";
}

std::string http_with_tls(const std::string& more = "") {
  return "  http: {port: 0, workers: 2, " + tls_keys() + (more.empty() ? "" : ", " + more) + "}\n";
}

json::array user_says(const std::string& text) {
  return {json::object{{"role", "user"}, {"content", text}}};
}

// The message of the error that keeps a runtime with `plugins_yaml` from starting.
std::string start_error(const std::string& plugins_yaml) {
  try {
    HttpWorld world(plugins_yaml);
  } catch (const std::exception& error) {
    return error.what();
  }
  return "(it started)";
}

// A TCP connection that says `bytes` (maybe nothing) and then waits; true when the server
// closes it within `limit`.
bool server_hangs_up(std::uint16_t port, const std::string& bytes, std::chrono::seconds limit) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  if (!bytes.empty()) asio::write(socket, asio::buffer(bytes));
  socket.non_blocking(true);
  const auto deadline = steady_clock::now() + limit;
  char buffer[512];
  while (steady_clock::now() < deadline) {
    boost::system::error_code error;
    socket.read_some(asio::buffer(buffer), error);
    if (error == asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } else if (error) {
      return true;  // eof or reset: closed
    }
  }
  return false;
}

class Https : public ::testing::Test {
 protected:
  void SetUp() override {
    world.registry().add<ChatModel>("scripted", model, "test");
    world.registry().add<Agent>("sophia", agent, "test");
  }
  HttpWorld world{http_with_tls()};
  std::shared_ptr<ScriptedChatModel> model = std::make_shared<ScriptedChatModel>();
  std::shared_ptr<ScriptedAgent> agent = std::make_shared<ScriptedAgent>();
};

TEST_F(Https, ServesTheApiAndAStreamedChatAndCountsThem) {
  HttpsTestClient client(world.port());
  const Response version = client.get("/api/version");
  EXPECT_EQ(version.result(), beast_http::status::ok);
  EXPECT_TRUE(json_body(version).at("version").is_string());

  const Response chat =
      client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("hi")}});
  ASSERT_EQ(chat.result(), beast_http::status::ok) << chat.body();
  EXPECT_EQ(chat[beast_http::field::content_type], "application/x-ndjson");
  const auto lines = ndjson_lines(chat.body());
  ASSERT_EQ(lines.size(), 5u);
  std::string text;
  for (const auto& line : lines) text += line.at("message").at("content").as_string();
  EXPECT_EQ(text, "Hello, world!");
  EXPECT_EQ(lines.back().at("done"), true);

  // Same connection (keep-alive), and the requests counted like plain ones.
  const std::string counted =
      R"(seer_http_requests_total{route="/api/version",method="GET",status="200"} 1)";
  EXPECT_TRUE(
      eventually([&] { return client.get("/metrics").body().find(counted) != std::string::npos; }));
}

TEST_F(Https, TheHealthReasonSaysTls) {
  bool found = false;
  for (const PluginStatus& status : world.runtime().status()) {
    if (status.plugin != "http") continue;
    found = true;
    EXPECT_TRUE(status.health.reason.ends_with(" (TLS)")) << status.health.reason;
  }
  EXPECT_TRUE(found);
}

TEST_F(Https, AWssClientSaysHelloAndChats) {
  WssTestClient client(world.port());
  client.send({{"type", "hello"}});
  const json::value welcome = client.receive();
  EXPECT_EQ(welcome.at("type"), "welcome");
  EXPECT_EQ(welcome.at("agent"), "sophia");
  client.send({{"type", "chat"}, {"id", "c1"}, {"text", "Who is there?"}});
  EXPECT_EQ(client.receive(), (json::value{{"type", "token"}, {"id", "c1"}, {"text", "I see "}}));
  EXPECT_EQ(client.receive().at("text"), "you.");
  const json::value done = client.receive_until("done");
  EXPECT_EQ(done.at("text"), "I see you.");
  EXPECT_EQ(done.at("cancelled"), false);
  // The closing handshake, then the TLS shutdown, both answered.
  EXPECT_NO_THROW(client.close());
  ASSERT_EQ(agent->turns().size(), 1u);
}

TEST_F(Https, PlainHttpAndGarbageAreRefusedWithoutDisturbingOthers) {
  HttpsTestClient kept(world.port());
  EXPECT_EQ(kept.get("/api/version").result(), beast_http::status::ok);

  HttpTestClient plain(world.port());
  EXPECT_THROW(plain.get("/api/version"), boost::system::system_error)
      << "a plain request gets no HTTP answer on the TLS port";
  EXPECT_TRUE(server_hangs_up(world.port(), std::string(300, '\xff'), std::chrono::seconds(5)))
      << "garbage instead of a ClientHello";
  EXPECT_TRUE(server_hangs_up(world.port(), std::string("\x16\x03\x01\x00\x04\x01\x00\x00\x00", 9),
                              std::chrono::seconds(5)))
      << "an empty ClientHello";

  EXPECT_EQ(kept.get("/api/version").result(), beast_http::status::ok) << "the kept connection";
  HttpsTestClient next(world.port());
  EXPECT_EQ(next.get("/api/tags").result(), beast_http::status::ok) << "the next client";
}

TEST_F(Https, ConnectionCloseEndsWithTheServersCloseNotify) {
  HttpsTestClient client(world.port());
  const Response response = client.get("/api/version", {{"Connection", "close"}});
  EXPECT_EQ(response.result(), beast_http::status::ok);
  // eof is OpenSSL's word for a close_notify received; a bare TCP close is stream_truncated.
  EXPECT_EQ(client.read_until_closed(), asio::error::eof);
}

TEST_F(Https, AClientLeavingMidStreamCancelsItsGeneration) {
  model->pieces = std::vector<std::string>(200, "word ");
  model->piece_delay = std::chrono::milliseconds(20);
  {
    HttpsTestClient client(world.port());
    const auto lines = client.read_first_lines(
        "/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("talk")}}, 2);
    EXPECT_GE(lines.size(), 2u);
    client.drop();
  }
  EXPECT_TRUE(eventually([&] { return model->cancelled(); }, std::chrono::seconds(3)))
      << "200 pieces of 20 ms would take 4 s";
  EXPECT_TRUE(eventually([&] { return model->running() == 0; }));
}

TEST(HttpsLimits, SlowHandshakesAndIdleConnectionsTimeOut) {
  HttpWorld world(http_with_tls("idle_timeout: 300ms, request_timeout: 300ms"));
  const auto started = steady_clock::now();
  EXPECT_TRUE(server_hangs_up(world.port(), "", std::chrono::seconds(3))) << "no ClientHello";
  EXPECT_TRUE(server_hangs_up(world.port(), "\x16\x03\x01", std::chrono::seconds(3)))
      << "a ClientHello that never ends";
  HttpsTestClient idle(world.port());
  EXPECT_NE(idle.read_until_closed(), boost::system::error_code{}) << "no request after it";
  EXPECT_LT(steady_clock::now() - started, std::chrono::seconds(6));
  HttpsTestClient next(world.port());
  EXPECT_EQ(next.get("/api/version").result(), beast_http::status::ok);
}

TEST(HttpsLimits, BodiesOverMaxBodyAre413AndTheRestOfTheBodyIsDropped) {
  HttpWorld world(http_with_tls("max_body: 1000"));
  const std::string header =
      "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 300000\r\n\r\n";
  {
    HttpsTestClient client(world.port());
    const Response response = client.raw(header);
    EXPECT_EQ(response.result(), beast_http::status::payload_too_large);
    EXPECT_NE(json_body(response).at("error").as_string().find("1000"), std::string::npos);
    EXPECT_EQ(client.read_until_closed(), asio::error::eof) << "a close_notify, not a reset";
  }
  {
    // The whole body sent before the answer is read: the server reads and drops it after its
    // 413, so the answer is not lost to a reset.
    HttpsTestClient client(world.port());
    client.write(header + std::string(300000, ' '));
    const Response response = client.raw("");
    EXPECT_EQ(response.result(), beast_http::status::payload_too_large);
  }
}

TEST(HttpsLimits, AWrongTokenOnTheUpgradeIsRefusedOverTls) {
  ::setenv("SEER_TLS_TEST_TOKEN", "sesame", 1);
  HttpWorld world(http_with_tls("token_env: SEER_TLS_TEST_TOKEN"));
  const Headers wrong{{"Authorization", "Bearer wrong"}};
  EXPECT_THROW(WssTestClient(world.port(), wrong), boost::system::system_error);
  WssTestClient client(world.port(), {{"Authorization", "Bearer sesame"}});
  client.send({{"type", "ping"}, {"id", 1}});
  EXPECT_EQ(client.receive().at("type"), "pong");
  HttpsTestClient https(world.port());
  EXPECT_EQ(https.get("/api/tags").result(), beast_http::status::unauthorized);
}

TEST(HttpsLimits, MinimumVersionOneThreeRefusesATls12Client) {
  HttpWorld world(http_with_tls("tls_min_version: \"1.3\""));
  asio::io_context io;
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.load_verify_file(tls_file("ca.pem"));
  context.set_verify_mode(asio::ssl::verify_peer);
  SSL_CTX_set_max_proto_version(context.native_handle(), TLS1_2_VERSION);
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, context);
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), world.port()});
  boost::system::error_code error;
  stream.handshake(asio::ssl::stream_base::client, error);
  EXPECT_TRUE(error) << "a TLS 1.2 client";
  HttpsTestClient modern(world.port());
  EXPECT_EQ(modern.get("/api/version").result(), beast_http::status::ok);
}

TEST(HttpsConfig, HalfATlsConfigurationIsAnError) {
  const std::string certificate_only =
      start_error("  http: {port: 0, tls_certificate: \"" + tls_file("server.pem") + "\"}\n");
  EXPECT_NE(certificate_only.find("plugins.http.tls_certificate"), std::string::npos);
  EXPECT_NE(certificate_only.find("needs tls_private_key"), std::string::npos) << certificate_only;
  const std::string key_only =
      start_error("  http: {port: 0, tls_private_key: \"" + tls_file("server.key") + "\"}\n");
  EXPECT_NE(key_only.find("needs tls_certificate"), std::string::npos) << key_only;
  const std::string password_only =
      start_error("  http: {port: 0, tls_private_key_password_env: HOME}\n");
  EXPECT_NE(password_only.find("needs TLS"), std::string::npos) << password_only;
}

TEST(HttpsConfig, UnusableFilesAreNamed) {
  const std::string missing =
      start_error("  http: {port: 0, tls_certificate: /nonexistent/cert.pem, tls_private_key: \"" +
                  tls_file("server.key") + "\"}\n");
  EXPECT_NE(missing.find("cannot open the TLS certificate /nonexistent/cert.pem"),
            std::string::npos)
      << missing;
  const std::string not_a_certificate =
      start_error("  http: {port: 0, tls_certificate: \"" + tls_file("server.key") +
                  "\", tls_private_key: \"" + tls_file("server.key") + "\"}\n");
  EXPECT_NE(not_a_certificate.find("as the TLS certificate"), std::string::npos)
      << not_a_certificate;
  const std::string mismatch = start_error("  http: {port: 0, " + tls_keys("other.key") + "}\n");
  EXPECT_NE(mismatch.find("plugins.http.tls_private_key"), std::string::npos) << mismatch;
  EXPECT_NE(mismatch.find("other.key does not belong to the certificate"), std::string::npos)
      << mismatch;
}

TEST(HttpsConfig, AnEncryptedKeyTakesItsPasswordFromTheEnvironment) {
  const std::string section = "  http: {port: 0, " + tls_keys("server-encrypted.key");
  const std::string without = start_error(section + "}\n");
  EXPECT_NE(without.find("server-encrypted.key"), std::string::npos) << without;
  EXPECT_NE(without.find("tls_private_key_password_env"), std::string::npos) << without;

  ::setenv("SEER_TLS_TEST_WRONG_PASSWORD", "not-the-password", 1);
  const std::string wrong =
      start_error(section + ", tls_private_key_password_env: SEER_TLS_TEST_WRONG_PASSWORD}\n");
  EXPECT_NE(wrong.find("server-encrypted.key"), std::string::npos) << wrong;
  EXPECT_EQ(wrong.find("not-the-password"), std::string::npos) << "the secret stays secret";

  ::setenv("SEER_TLS_TEST_PASSWORD", "seer-test-password", 1);
  HttpWorld world(section + ", tls_private_key_password_env: SEER_TLS_TEST_PASSWORD}\n");
  HttpsTestClient client(world.port());
  EXPECT_EQ(client.get("/api/version").result(), beast_http::status::ok);
}

TEST(HttpsConfig, TlsDoesNotReplaceTheTokenOffLoopback) {
  const std::string error = start_error("  http: {host: 0.0.0.0, port: 0, " + tls_keys() + "}\n");
  EXPECT_NE(error.find("needs a bearer token"), std::string::npos) << error;
}

}  // namespace
}  // namespace seer::http::test
