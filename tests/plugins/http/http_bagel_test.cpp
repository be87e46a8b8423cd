// The real bagel plugin on the tiny fixture checkpoint behind the Ollama API: a photo through
// /api/generate (the vision-language model) and a streamed /api/chat (the chat model).
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "http_test_support.hpp"
#include "test_assets.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;

// http first, so it sees bagel's "starting" while the checkpoint loads.
std::string bagel_plugins() {
  return "  http: {port: 0}\n  bagel:\n    model: " + std::string(SEER_SOURCE_DIR) +
         "/tests/fixtures/bagel-tiny\n    tokenizer: " +
         seer::test::asset("tokenizer/tokenizer.json").string() + "\n";
}

bool bagel_ready(HttpWorld& world) {
  for (const PluginStatus& status : world.runtime().status()) {
    if (status.instance == "bagel") return status.health.state == HealthState::ready;
  }
  return false;
}

TEST(HttpBagel, GeneratesFromAPhotoAndStreamsAChat) {
  HttpWorld world(bagel_plugins());
  ASSERT_TRUE(eventually([&] { return bagel_ready(world); }, std::chrono::seconds(30)));
  auto client = world.client();
  EXPECT_TRUE(
      eventually([&] { return client.get("/healthz").result() == beast_http::status::ok; }));

  const json::value tags = json_body(client.get("/api/tags"));
  ASSERT_EQ(tags.at("models").as_array().size(), 1u);
  const std::string name(tags.at("models").at(0).at("name").as_string());
  const json::value shown = json_body(client.post_json("/api/show", {{"model", name}}));
  EXPECT_NE(json::serialize(shown.at("capabilities")).find("vision"), std::string::npos);

  const Response generated =
      client.post_json("/api/generate", {{"model", name},
                                         {"prompt", "Describe the picture."},
                                         {"images", {json::value(photo_base64())}},
                                         {"options", {{"num_predict", 4}}},
                                         {"stream", false}});
  ASSERT_EQ(generated.result(), beast_http::status::ok) << generated.body();
  const json::value answer = json_body(generated);
  EXPECT_EQ(answer.at("done"), true);
  EXPECT_GT(answer.at("eval_count").to_number<int>(), 0);
  EXPECT_GT(answer.at("prompt_eval_count").to_number<int>(), 0);

  const Response chat =
      client.post_json("/api/chat", {{"model", name},
                                     {"messages", {{{"role", "user"}, {"content", "Hello!"}}}},
                                     {"options", {{"num_predict", 5}}}});
  ASSERT_EQ(chat.result(), beast_http::status::ok) << chat.body();
  const auto lines = ndjson_lines(chat.body());
  ASSERT_GE(lines.size(), 2u);
  std::string streamed;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    EXPECT_EQ(lines[i].at("done"), false);
    streamed += lines[i].at("message").at("content").as_string();
  }
  const json::object& last = lines.back().as_object();
  EXPECT_EQ(last.at("done"), true);
  EXPECT_GT(last.at("eval_count").to_number<int>(), 0);
  EXPECT_GT(last.at("eval_duration").to_number<std::int64_t>(), 0);
  EXPECT_GE(last.at("total_duration").to_number<std::int64_t>(),
            last.at("eval_duration").to_number<std::int64_t>());
}

}  // namespace
}  // namespace seer::http::test
