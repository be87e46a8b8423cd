// /api/tags, /api/show and /api/ps over the chat models and agents in the registry.
#include <gtest/gtest.h>

#include "http_test_support.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;

std::vector<std::string> names_in(const json::value& body) {
  std::vector<std::string> names;
  for (const auto& model : body.at("models").as_array()) {
    names.emplace_back(model.at("name").as_string());
  }
  return names;
}

std::vector<std::string> capabilities_of(HttpTestClient& client, const std::string& model) {
  const Response response = client.post_json("/api/show", {{"model", model}});
  EXPECT_EQ(response.result(), beast_http::status::ok) << response.body();
  std::vector<std::string> capabilities;
  const json::value body = json_body(response);
  for (const auto& capability : body.at("capabilities").as_array()) {
    capabilities.emplace_back(capability.as_string());
  }
  return capabilities;
}

class OllamaModels : public ::testing::Test {
 protected:
  void SetUp() override {
    auto plain = std::make_shared<ScriptedChatModel>();
    plain->model_info = {.model = "plain-1b"};
    world.registry().add<ChatModel>("scripted", scripted, "test");
    world.registry().add<ChatModel>("plain", plain, "test");
    world.registry().add<Agent>("sophia", std::make_shared<ScriptedAgent>(), "test");
  }
  HttpWorld world;
  std::shared_ptr<ScriptedChatModel> scripted = std::make_shared<ScriptedChatModel>();
};

TEST_F(OllamaModels, TagsListEveryChatModelByItsModelNameAndEveryAgent) {
  auto client = world.client();
  const json::value body = json_body(client.get("/api/tags"));
  EXPECT_EQ(names_in(body), (std::vector<std::string>{"scripted-7b", "plain-1b", "sophia"}));
  const json::object& first = body.at("models").at(0).as_object();
  EXPECT_EQ(first.at("model"), "scripted-7b");
  EXPECT_EQ(first.at("digest").as_string().size(), 64u);
  EXPECT_TRUE(first.at("modified_at").as_string().ends_with("Z"));
  EXPECT_EQ(first.at("details").at("family"), "scripted");
  EXPECT_EQ(body.at("models").at(2).at("details").at("family"), "agent");
}

TEST_F(OllamaModels, ShowSaysWhatEachModelCan) {
  auto client = world.client();
  EXPECT_EQ(capabilities_of(client, "scripted-7b"),
            (std::vector<std::string>{"completion", "vision", "tools"}));
  EXPECT_EQ(capabilities_of(client, "plain-1b:latest"), (std::vector<std::string>{"completion"}));
  EXPECT_EQ(capabilities_of(client, "plain"), (std::vector<std::string>{"completion"}))
      << "the registry name works too";
  EXPECT_EQ(capabilities_of(client, "sophia"),
            (std::vector<std::string>{"completion", "vision", "tools"}));
  const json::value body = json_body(client.post_json("/api/show", {{"model", "scripted-7b"}}));
  EXPECT_EQ(body.at("model_info").at("general.architecture"), "scripted");
}

TEST_F(OllamaModels, UnknownModelsAre404WithOllamasMessage) {
  auto client = world.client();
  const Response show = client.post_json("/api/show", {{"model", "llava"}});
  EXPECT_EQ(show.result(), beast_http::status::not_found);
  EXPECT_EQ(json_body(show).at("error"), "model 'llava' not found");
  const Response chat = client.post_json(
      "/api/chat", {{"model", "llava"}, {"messages", json::array{json::object{{"role", "user"}}}}});
  EXPECT_EQ(chat.result(), beast_http::status::not_found);
  EXPECT_EQ(client.post_json("/api/generate", {{"model", "llava"}, {"prompt", "hi"}}).result(),
            beast_http::status::not_found);
}

TEST_F(OllamaModels, PsListsTheLoadedModels) {
  auto client = world.client();
  const json::value body = json_body(client.get("/api/ps"));
  EXPECT_EQ(names_in(body).size(), 3u);
  EXPECT_TRUE(body.at("models").at(0).as_object().contains("expires_at"));
  EXPECT_TRUE(body.at("models").at(0).as_object().contains("size_vram"));
}

}  // namespace
}  // namespace seer::http::test
