// /v1/models and /v1/models/{id}, and the CORS allow-list: allowed and refused origins,
// preflights without the bearer token, and the configuration key.
#include <gtest/gtest.h>

#include <cstdlib>

#include "http_test_support.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;

constexpr char kAllowed[] = "https://app.example:8443";

TEST(OpenAiModels, ListsEveryModelAndAgentAndFindsOneById) {
  HttpWorld world;
  world.registry().add<ChatModel>("scripted", std::make_shared<ScriptedChatModel>(), "test");
  world.registry().add<Agent>("sophia", std::make_shared<ScriptedAgent>(), "test");
  auto client = world.client();
  const json::value list = json_body(client.get("/v1/models"));
  EXPECT_EQ(list.at("object"), "list");
  const json::array& data = list.at("data").as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].at("id"), "scripted-7b");
  EXPECT_EQ(data[1].at("id"), "sophia");
  for (const json::value& model : data) {
    EXPECT_EQ(model.at("object"), "model");
    EXPECT_EQ(model.at("owned_by"), "seer");
    EXPECT_GT(model.at("created").to_number<std::int64_t>(), 1'700'000'000);
  }
  const Response one = client.get("/v1/models/sophia");
  ASSERT_EQ(one.result(), beast_http::status::ok) << one.body();
  EXPECT_EQ(json_body(one), data[1]);
  EXPECT_EQ(json_body(client.get("/v1/models/scripted")).at("id"), "scripted-7b")
      << "the registry name finds it too";

  const Response missing = client.get("/v1/models/gpt-9");
  EXPECT_EQ(missing.result(), beast_http::status::not_found);
  const json::value error = json_body(missing).at("error");
  EXPECT_EQ(error.at("code"), "model_not_found");
  EXPECT_EQ(error.at("message"), "The model 'gpt-9' does not exist");
}

class Cors : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("SEER_HTTP_TEST_TOKEN", "s3cret-token", 1); }
  void TearDown() override { ::unsetenv("SEER_HTTP_TEST_TOKEN"); }
};

TEST_F(Cors, AnAllowedOriginGetsItsHeadersOnEveryReply) {
  HttpWorld world(std::string("  http: {port: 0, cors_origins: [") + kAllowed +
                  ", http://localhost:3000]}\n");
  auto client = world.client();
  const Response tags = client.get("/api/tags", {{"Origin", kAllowed}});
  EXPECT_EQ(tags.result(), beast_http::status::ok);
  EXPECT_EQ(tags[beast_http::field::access_control_allow_origin], kAllowed);
  EXPECT_EQ(tags[beast_http::field::vary], "Origin");
  EXPECT_EQ(tags[beast_http::field::access_control_expose_headers], "X-Request-Id");
  const Response missing = client.get("/v1/models/gpt-9", {{"Origin", "http://localhost:3000"}});
  EXPECT_EQ(missing.result(), beast_http::status::not_found);
  EXPECT_EQ(missing[beast_http::field::access_control_allow_origin], "http://localhost:3000")
      << "errors carry them too, so the page can read them";

  world.registry().add<ChatModel>("scripted", std::make_shared<ScriptedChatModel>(), "test");
  const Response streamed = client.post_json("/v1/chat/completions",
                                             {{"model", "scripted-7b"},
                                              {"messages", {{{"role", "user"}, {"content", "hi"}}}},
                                              {"stream", true}},
                                             {{"Origin", kAllowed}});
  EXPECT_EQ(streamed[beast_http::field::access_control_allow_origin], kAllowed)
      << "a streamed reply's header carries them";
}

TEST_F(Cors, ARefusedOriginOrNoListGetsNoCorsHeaders) {
  HttpWorld world(std::string("  http: {port: 0, cors_origins: [") + kAllowed + "]}\n");
  auto client = world.client();
  for (const std::string origin : {"https://evil.example", "https://app.example", "null"}) {
    const Response response = client.get("/api/tags", {{"Origin", origin}});
    EXPECT_EQ(response.result(), beast_http::status::ok);
    EXPECT_EQ(response.count(beast_http::field::access_control_allow_origin), 0u) << origin;
  }
  const Response preflight = client.request(
      beast_http::verb::options, "/v1/chat/completions", {},
      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.result(), beast_http::status::method_not_allowed);
  EXPECT_EQ(preflight.count(beast_http::field::access_control_allow_origin), 0u);

  HttpWorld closed;
  auto closed_client = closed.client();
  const Response response = closed_client.get("/api/tags", {{"Origin", kAllowed}});
  EXPECT_EQ(response.count(beast_http::field::access_control_allow_origin), 0u)
      << "no cors_origins: no CORS at all";
}

TEST_F(Cors, APreflightIsAnswered204WithoutTheTokenOnAnyPath) {
  HttpWorld world("  http: {port: 0, token_env: SEER_HTTP_TEST_TOKEN, cors_origins: ['*']}\n");
  auto client = world.client();
  for (const std::string path : {"/v1/chat/completions", "/api/chat", "/no/such/path"}) {
    const Response preflight = client.request(
        beast_http::verb::options, path, {},
        {{"Origin", "https://any.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(preflight.result(), beast_http::status::no_content) << path;
    EXPECT_EQ(preflight[beast_http::field::access_control_allow_origin], "https://any.example");
    EXPECT_NE(preflight[beast_http::field::access_control_allow_methods].find("POST"),
              std::string::npos);
    const std::string headers(preflight[beast_http::field::access_control_allow_headers]);
    EXPECT_NE(headers.find("Authorization"), std::string::npos) << headers;
    EXPECT_NE(headers.find("Content-Type"), std::string::npos) << headers;
    EXPECT_EQ(preflight[beast_http::field::access_control_max_age], "600");
    EXPECT_EQ(preflight.count(beast_http::field::content_length), 0u);
  }
  const Response asked = client.request(
      beast_http::verb::options, "/v1/models", {},
      {{"Origin", "https://any.example"}, {"Access-Control-Request-Headers", "x-stainless-os"}});
  EXPECT_EQ(asked[beast_http::field::access_control_allow_headers], "x-stainless-os")
      << "the headers a preflight names are allowed";

  // The request itself still needs the token; its 401 is readable by the page.
  const Response refused = client.get("/v1/models", {{"Origin", "https://any.example"}});
  EXPECT_EQ(refused.result(), beast_http::status::unauthorized);
  EXPECT_EQ(refused[beast_http::field::access_control_allow_origin], "https://any.example");
  EXPECT_EQ(json_body(refused).at("error").at("code"), "invalid_api_key")
      << "OpenAI's shape under /v1/";
  EXPECT_EQ(client
                .get("/v1/models",
                     {{"Origin", "https://any.example"}, {"Authorization", "Bearer s3cret-token"}})
                .result(),
            beast_http::status::ok);
}

TEST_F(Cors, AnOriginThatIsNoOriginIsAConfigurationError) {
  try {
    HttpWorld world("  http: {port: 0, cors_origins: [example.com]}\n");
    FAIL() << "the plugin started with a bad origin";
  } catch (const std::exception& error) {
    EXPECT_NE(std::string(error.what()).find("'example.com' is not an origin"), std::string::npos)
        << error.what();
  }
  EXPECT_THROW(HttpWorld("  http: {port: 0, cors_origins: [https://a.example/path]}\n"),
               std::exception);
}

}  // namespace
}  // namespace seer::http::test
