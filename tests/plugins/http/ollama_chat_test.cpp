// /api/chat and /api/generate: streaming, single replies, options, tools, images, agents,
// load requests, and failures before and during a stream.
#include <gtest/gtest.h>

#include "http_test_support.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;

json::array user_says(const std::string& text, json::array images = {}) {
  json::object message{{"role", "user"}, {"content", text}};
  if (!images.empty()) message["images"] = std::move(images);
  return {message};
}

class OllamaChat : public ScriptedHttpTest {};

TEST_F(OllamaChat, StreamsOneChunkPerPieceThenTheFinalChunkWithDurations) {
  auto client = world.client();
  const Response response =
      client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("hi")}});
  ASSERT_EQ(response.result(), beast_http::status::ok) << response.body();
  EXPECT_EQ(response[beast_http::field::content_type], "application/x-ndjson");
  const auto lines = ndjson_lines(response.body());
  ASSERT_EQ(lines.size(), 5u);
  const std::vector<std::string> pieces{"Hello", ", ", "world", "!"};
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    EXPECT_EQ(lines[i].at("message").at("content").as_string(), pieces[i]);
    EXPECT_EQ(lines[i].at("message").at("role"), "assistant");
    EXPECT_EQ(lines[i].at("done"), false);
    EXPECT_EQ(lines[i].at("model"), "scripted-7b");
  }
  const json::object& last = lines.back().as_object();
  EXPECT_EQ(last.at("done"), true);
  EXPECT_EQ(last.at("done_reason"), "stop");
  EXPECT_EQ(last.at("message").at("content"), "");
  EXPECT_GT(last.at("total_duration").to_number<std::int64_t>(), 0);
  EXPECT_EQ(last.at("load_duration").to_number<std::int64_t>(), 1000);
  EXPECT_EQ(last.at("prompt_eval_count").to_number<int>(), 7);
  EXPECT_EQ(last.at("prompt_eval_duration").to_number<std::int64_t>(), 2000);
  EXPECT_EQ(last.at("eval_count").to_number<int>(), 4);
  EXPECT_EQ(last.at("eval_duration").to_number<std::int64_t>(), 3000);
  EXPECT_TRUE(last.at("created_at").as_string().ends_with("Z"));
}

TEST_F(OllamaChat, StreamFalseAnswersOneJsonObject) {
  auto client = world.client();
  const Response response = client.post_json(
      "/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("hi")}, {"stream", false}});
  EXPECT_EQ(response[beast_http::field::content_type], "application/json; charset=utf-8");
  const json::value body = json_body(response);
  EXPECT_EQ(body.at("message").at("content"), "Hello, world!");
  EXPECT_EQ(body.at("done"), true);
  EXPECT_EQ(body.at("eval_count").to_number<int>(), 4);

  const json::value generated = json_body(client.post_json(
      "/api/generate",
      {{"model", "scripted-7b"}, {"prompt", "hi"}, {"system", "be brief"}, {"stream", false}}));
  EXPECT_EQ(generated.at("response"), "Hello, world!");
  const ChatRequest request = model->requests().back();
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_EQ(request.messages[0].role, "system");
  EXPECT_EQ(request.messages[0].content, "be brief");
  EXPECT_EQ(request.messages[1].content, "hi");
}

TEST_F(OllamaChat, GenerateStreamsResponsePieces) {
  auto client = world.client();
  const auto lines = ndjson_lines(
      client.post_json("/api/generate", {{"model", "scripted-7b:latest"}, {"prompt", "hi"}})
          .body());
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].at("response"), "Hello");
  EXPECT_EQ(lines[4].at("response"), "");
  EXPECT_EQ(lines[4].at("done"), true);
}

TEST_F(OllamaChat, OptionsFormatKeepAliveThinkAndToolsReachTheModel) {
  model->tool_calls = {{.name = "get_weather", .arguments = {{"city", "Paris"}}}};
  auto client = world.client();
  const json::value tool = {{"type", "function"},
                            {"function",
                             {{"name", "get_weather"},
                              {"description", "weather of a city"},
                              {"parameters", {{"type", "object"}}}}}};
  const json::value options = {{"temperature", 0.5}, {"num_predict", 9},      {"top_k", 3},
                               {"top_p", 0.8},       {"min_p", 0.1},          {"seed", 42},
                               {"stop", {"\n"}},     {"repeat_penalty", 1.2}, {"num_ctx", 4096},
                               {"mirostat", 1}};
  const json::value body =
      json_body(client.post_json("/api/chat", {{"model", "scripted-7b"},
                                               {"messages", user_says("weather?")},
                                               {"options", options},
                                               {"format", "json"},
                                               {"keep_alive", "1h30m"},
                                               {"think", true},
                                               {"tools", {tool}},
                                               {"unknown_field", 1},
                                               {"stream", false}}));
  const ChatRequest request = model->requests().back();
  EXPECT_FLOAT_EQ(request.options.temperature, 0.5f);
  EXPECT_EQ(request.options.max_new_tokens, 9);
  EXPECT_EQ(request.options.top_k, 3);
  EXPECT_FLOAT_EQ(request.options.top_p, 0.8f);
  EXPECT_FLOAT_EQ(request.options.min_p, 0.1f);
  EXPECT_EQ(request.options.seed, 42u);
  EXPECT_EQ(request.options.stop, std::vector<std::string>{"\n"});
  EXPECT_FLOAT_EQ(request.options.repeat_penalty, 1.2f);
  EXPECT_EQ(request.options.context_length, 4096);
  EXPECT_TRUE(request.options.think);
  EXPECT_EQ(request.format, "json");
  EXPECT_EQ(request.keep_alive, std::chrono::minutes(90));
  EXPECT_EQ(request.model, "scripted-7b");
  ASSERT_EQ(request.tools.size(), 1u);
  EXPECT_EQ(request.tools[0].name, "get_weather");
  EXPECT_EQ(request.tools[0].parameters.at("type"), "object");
  const json::value& call = body.at("message").at("tool_calls").at(0);
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  EXPECT_EQ(call.at("function").at("arguments").at("city"), "Paris");

  client.post_json("/api/chat", {{"model", "scripted-7b"},
                                 {"messages", user_says("x")},
                                 {"keep_alive", -1},
                                 {"stream", false}});
  EXPECT_EQ(model->requests().back().keep_alive, Duration(-1));
  client.post_json("/api/chat", {{"model", "scripted-7b"},
                                 {"messages", user_says("x")},
                                 {"keep_alive", 300},
                                 {"stream", false}});
  EXPECT_EQ(model->requests().back().keep_alive, std::chrono::minutes(5));
}

TEST_F(OllamaChat, StreamedToolCallsComeInAChunkBeforeTheFinalOne) {
  model->tool_calls = {{.name = "lights_on", .arguments = {}}};
  auto client = world.client();
  const auto lines = ndjson_lines(
      client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("light")}})
          .body());
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[4].at("message").at("tool_calls").at(0).at("function").at("name"), "lights_on");
  EXPECT_EQ(lines[5].at("done"), true);
}

TEST_F(OllamaChat, ToolsForAModelWithoutThemAre400InOllamasWords) {
  model->model_info.tools = false;
  auto client = world.client();
  const json::value tool = {{"type", "function"}, {"function", {{"name", "f"}}}};
  const Response response = client.post_json(
      "/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("x")}, {"tools", {tool}}});
  EXPECT_EQ(response.result(), beast_http::status::bad_request);
  EXPECT_NE(response.body().find("does not support tools"), std::string::npos);
}

TEST_F(OllamaChat, ImagesAreDecodedFromBase64) {
  auto client = world.client();
  const Response response = client.post_json(
      "/api/chat", {{"model", "scripted-7b"},
                    {"messages", user_says("what is this?", {json::value(photo_base64())})},
                    {"stream", false}});
  ASSERT_EQ(response.result(), beast_http::status::ok) << response.body();
  const ChatRequest request = model->requests().back();
  ASSERT_EQ(request.messages.at(0).images.size(), 1u);
  EXPECT_EQ(request.messages[0].images[0].width, 512);
  EXPECT_EQ(request.messages[0].images[0].height, 600);
}

TEST_F(OllamaChat, BadJsonBadFieldsAndBadImagesAre400AndTheConnectionLivesOn) {
  auto client = world.client();
  const auto error_of = [](const Response& response) {
    EXPECT_EQ(response.result(), beast_http::status::bad_request) << response.body();
    return std::string(json_body(response).at("error").as_string());
  };
  EXPECT_NE(error_of(client.post("/api/chat", "{\"model\": ")).find("invalid JSON"),
            std::string::npos);
  EXPECT_EQ(error_of(client.post("/api/chat", "")), "missing request body");
  EXPECT_EQ(error_of(client.post("/api/chat", "[1]")), "the request body must be a JSON object");
  EXPECT_EQ(error_of(client.post_json("/api/chat", {{"messages", user_says("x")}})),
            "model is required");
  EXPECT_NE(error_of(client.post_json("/api/chat", {{"model", "scripted-7b"},
                                                    {"messages", user_says("x")},
                                                    {"options", {{"temperature", "hot"}}}}))
                .find("temperature"),
            std::string::npos);
  EXPECT_NE(error_of(client.post_json("/api/generate", {{"model", "scripted-7b"},
                                                        {"prompt", "x"},
                                                        {"images", {"***not base64"}}}))
                .find("image 1"),
            std::string::npos);
  EXPECT_NE(error_of(client.post_json("/api/generate", {{"model", "scripted-7b"},
                                                        {"prompt", "x"},
                                                        {"images", {"aGVsbG8gd29ybGQh"}}}))
                .find("image 1"),
            std::string::npos)
      << "base64 of text that is no image";
  // Found by fuzz/http_request_fuzzer: the seed was cast to an integer it does not fit.
  EXPECT_NE(
      error_of(client.post("/api/chat", R"({"model": "scripted-7b", "messages": [{"role": "user", )"
                                        R"("content": "x"}], "options": {"seed": 6.6e68}})"))
          .find("option seed must be a number from 0 to 18446744073709551615"),
      std::string::npos);
  EXPECT_NE(error_of(client.post_json("/api/chat", {{"model", "scripted-7b"},
                                                    {"messages", user_says("x")},
                                                    {"keep_alive", "soon"}}))
                .find("keep_alive"),
            std::string::npos);
  EXPECT_TRUE(model->requests().empty()) << "nothing reached the model";
  const Response fine = client.post_json(
      "/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("hi")}, {"stream", false}});
  EXPECT_EQ(fine.result(), beast_http::status::ok) << "the same connection still serves";
}

TEST_F(OllamaChat, LoadAndUnloadRequestsAnswerWithoutGenerating) {
  auto client = world.client();
  const json::value load = json_body(
      client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", json::array{}}}));
  EXPECT_EQ(load.at("done_reason"), "load");
  EXPECT_EQ(load.at("done"), true);
  const json::value unload =
      json_body(client.post_json("/api/generate", {{"model", "scripted-7b"}, {"keep_alive", 0}}));
  EXPECT_EQ(unload.at("done_reason"), "unload");
  EXPECT_EQ(unload.at("response"), "");
  EXPECT_TRUE(model->requests().empty());
}

TEST_F(OllamaChat, AChatWithAnAgentIsHerTurnInTheSessionOfTheHeader) {
  auto client = world.client();
  json::array messages{json::object{{"role", "user"}, {"content", "old question"}},
                       json::object{{"role", "assistant"}, {"content", "old answer"}},
                       json::object{{"role", "user"},
                                    {"content", "who is there?"},
                                    {"images", {json::value(photo_base64())}}}};
  const Response response = client.post_json(
      "/api/chat", {{"model", "sophia"}, {"messages", messages}}, {{"X-Seer-Session", "game"}});
  const auto lines = ndjson_lines(response.body());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].at("message").at("content"), "I see ");
  const json::object& last = lines.back().as_object();
  EXPECT_EQ(last.at("seer").at("vision_report").at("people"), 1);
  EXPECT_EQ(last.at("seer").at("actions").at(0).at("tool"), "set_light");
  const AgentTurn turn = agent->turns().back();
  EXPECT_EQ(turn.session, "game");
  EXPECT_EQ(turn.text, "who is there?");
  EXPECT_EQ(turn.images.size(), 1u);

  client.post_json("/api/generate", {{"model", "sophia"}, {"prompt", "hello"}, {"stream", false}});
  EXPECT_EQ(agent->turns().back().session, "ollama");
  EXPECT_EQ(agent->turns().back().text, "hello");
}

TEST_F(OllamaChat, ABackendFailingBeforeAnyPieceIs500) {
  model->throw_after = 0;
  auto client = world.client();
  const Response response =
      client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("hi")}});
  EXPECT_EQ(response.result(), beast_http::status::internal_server_error);
  EXPECT_EQ(json_body(response).at("error"), "the scripted backend broke");
}

TEST_F(OllamaChat, ABackendFailingMidStreamEndsWithAnErrorLine) {
  model->throw_after = 2;
  auto client = world.client();
  const Response response =
      client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("hi")}});
  EXPECT_EQ(response.result(), beast_http::status::ok);
  const auto lines = ndjson_lines(response.body());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1].at("message").at("content"), ", ");
  EXPECT_EQ(lines[2].at("error"), "the scripted backend broke");
  model->throw_after = -1;
  EXPECT_EQ(client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("hi")}})
                .result(),
            beast_http::status::ok)
      << "the connection lives on";
}

TEST_F(OllamaChat, AClientLeavingMidStreamCancelsItsGeneration) {
  model->pieces = std::vector<std::string>(200, "word ");
  model->piece_delay = std::chrono::milliseconds(20);
  {
    auto client = world.client();
    const auto lines = client.read_first_lines(
        "/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("talk")}}, 2);
    EXPECT_GE(lines.size(), 2u);
    client.close();
  }
  EXPECT_TRUE(eventually([&] { return model->cancelled(); }, std::chrono::seconds(3)))
      << "200 pieces of 20 ms would take 4 s";
  EXPECT_TRUE(eventually([&] { return model->running() == 0; }));
}

TEST_F(OllamaChat, ConcurrentRequestsAreServedTogether) {
  model->piece_delay = std::chrono::milliseconds(50);
  std::vector<std::thread> clients;
  std::atomic<int> completed{0};
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {
    clients.emplace_back([&] {
      auto client = world.client();
      const Response chat =
          client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", user_says("hi")}});
      if (ndjson_lines(chat.body()).size() == 5u) ++completed;
    });
  }
  // Cheap requests are answered on the I/O threads while the workers generate.
  auto prober = world.client();
  EXPECT_EQ(prober.get("/api/tags").result(), beast_http::status::ok);
  for (auto& client : clients) client.join();
  EXPECT_EQ(completed, 4);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_LT(elapsed, std::chrono::milliseconds(4 * 4 * 50)) << "two workers generate at once";
}

}  // namespace
}  // namespace seer::http::test
