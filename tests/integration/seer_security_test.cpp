// Security checks with the real `seer run`: a non-loopback bind without a token refuses to
// start, and the secrets it reads from the environment (the bearer token, the MQTT password)
// never appear in its log, even at trace level, nor in any answer of its API.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <csignal>
#include <random>

#include "http_test_client.hpp"
#include "mosquitto_broker.hpp"
#include "seer_process.hpp"
#include "ws_test_client.hpp"

namespace seer::test {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;
using http::test::HttpTestClient;
using http::test::Response;

// A value that cannot appear by chance in a log line or an answer.
std::string unique_secret(const std::string& prefix) {
  std::mt19937_64 random(std::random_device{}());
  return prefix + std::to_string(random());
}

TEST(SeerSecurity, ANonLoopbackBindWithoutATokenRefusesToStart) {
  SeerProcess seer("plugins:\n  http: {host: 0.0.0.0, port: 0}\n");
  const auto code = seer.process().wait(30s);
  ASSERT_TRUE(code.has_value()) << "seer started without a token on 0.0.0.0\n" << seer.log();
  EXPECT_EQ(*code, 2);
  EXPECT_THAT(seer.log(), HasSubstr("needs a bearer token"));
  EXPECT_THAT(seer.log(), HasSubstr("nothing was started"));
}

TEST(SeerSecurity, SecretsFromTheEnvironmentNeverReachTheLogOrTheApi) {
  const std::string token = unique_secret("tok-");
  const std::string password = unique_secret("pw-");
  MosquittoBrokerOptions options;
  options.users = {{"seer", password}};
  MosquittoBroker broker(options);
  SeerProcess seer(
      "plugins:\n"
      "  http: {port: 0, token_env: SEER_FAULTS_TOKEN}\n"
      "  mqtt: {host: 127.0.0.1, port: " +
          std::to_string(broker.port()) +
          ", node_name: secrets, username_env: SEER_FAULTS_MQTT_USER,"
          " password_env: SEER_FAULTS_MQTT_PASSWORD}\n"
          "  scripted: {plugin: scripted-chat}\n",
      {"--log-level", "trace"},
      {"SEER_FAULTS_TOKEN=" + token, "SEER_FAULTS_MQTT_USER=seer",
       "SEER_FAULTS_MQTT_PASSWORD=" + password});
  ASSERT_TRUE(seer.wait_until_up()) << seer.log();
  ASSERT_TRUE(seer.process().wait_for_output("mqtt: ready", 10s)) << seer.log();

  HttpTestClient client(seer.http_port());
  const http::test::Headers auth{{"Authorization", "Bearer " + token}};
  std::vector<Response> answers;
  answers.push_back(client.get("/api/seer/status", auth));
  answers.push_back(client.post("/api/show", R"({"model": "scripted"})", auth));
  answers.push_back(client.get("/api/tags", auth));
  answers.push_back(client.get("/api/ps", auth));
  answers.push_back(client.get("/v1/models", auth));
  answers.push_back(client.get("/metrics", auth));
  answers.push_back(client.get("/api/version", auth));
  answers.push_back(client.post(
      "/api/chat",
      R"({"model": "scripted", "stream": false, "messages": [{"role": "user", "content": "hi"}]})",
      auth));
  for (std::size_t i = 0; i + 1 < answers.size(); ++i) {
    EXPECT_EQ(answers[i].result_int(), 200) << i << ": " << answers[i].body();
  }
  answers.push_back(client.get("/api/seer/status"));
  EXPECT_EQ(answers.back().result_int(), 401);
  answers.push_back(client.get("/api/seer/status", {{"Authorization", "Bearer " + token + "x"}}));
  EXPECT_EQ(answers.back().result_int(), 401);
  EXPECT_EQ(
      http::test::refused_upgrade_status(seer.http_port(), {{"Authorization", "Bearer wrong"}}),
      401u);

  seer.process().signal(SIGTERM);
  EXPECT_EQ(seer.process().wait(12s), 0) << seer.log();

  const std::string log = seer.log();
  EXPECT_THAT(log, HasSubstr("debug [")) << "the log is at debug level or finer";
  EXPECT_THAT(log, ::testing::Not(HasSubstr(token)));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(password)));
  for (const Response& answer : answers) {
    EXPECT_THAT(answer.body(), ::testing::Not(HasSubstr(token)));
    EXPECT_THAT(answer.body(), ::testing::Not(HasSubstr(password)));
    for (const auto& field : answer) {
      EXPECT_THAT(std::string(field.value()), ::testing::Not(HasSubstr(token)));
    }
  }
}

}  // namespace
}  // namespace seer::test
