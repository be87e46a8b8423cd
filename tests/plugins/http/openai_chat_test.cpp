// /v1/chat/completions: single replies and server-sent events, options, image parts, tools in
// both directions, agents, and errors in OpenAI's shape before and during a stream.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "http_test_support.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;

constexpr char kCompletions[] = "/v1/chat/completions";

json::array user_says(json::value content) {
  return {json::object{{"role", "user"}, {"content", std::move(content)}}};
}

// The `data:` payloads of a server-sent event stream, in order.
std::vector<std::string> sse_data(const std::string& body) {
  std::vector<std::string> events;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    const std::string event = body.substr(start, end - start);
    EXPECT_TRUE(event.starts_with("data: ")) << event;
    events.push_back(event.substr(6));
    start = end + 2;
  }
  return events;
}

// The error object of an OpenAI error response, after checking its status and shape.
json::object error_of(const Response& response, beast_http::status status) {
  EXPECT_EQ(response.result(), status) << response.body();
  const json::value body = json_body(response);
  const json::object& error = body.at("error").as_object();
  EXPECT_TRUE(error.at("message").is_string());
  EXPECT_TRUE(error.contains("type"));
  EXPECT_TRUE(error.contains("param"));
  EXPECT_TRUE(error.contains("code"));
  return error;
}

std::string message_of(const json::object& error) {
  return std::string(error.at("message").as_string());
}

class OpenAiChat : public ScriptedHttpTest {};

TEST_F(OpenAiChat, ACompletionIsOneChatCompletionObjectWithUsage) {
  auto client = world.client();
  json::array messages{json::object{{"role", "developer"}, {"content", "be brief"}},
                       json::object{{"role", "user"}, {"content", "hi"}}};
  const Response response =
      client.post_json(kCompletions, {{"model", "scripted-7b"},
                                      {"messages", messages},
                                      {"max_tokens", 9},
                                      {"temperature", 0.5},
                                      {"top_p", 0.8},
                                      {"seed", 42},
                                      {"stop", "\n"},
                                      {"frequency_penalty", 0.5},
                                      {"presence_penalty", 0.1},
                                      {"response_format", {{"type", "json_object"}}},
                                      {"logit_bias", json::object{}},
                                      {"user", "someone"}});
  ASSERT_EQ(response.result(), beast_http::status::ok) << response.body();
  EXPECT_EQ(response[beast_http::field::content_type], "application/json; charset=utf-8");
  const json::value body = json_body(response);
  EXPECT_TRUE(body.at("id").as_string().starts_with("chatcmpl-"));
  EXPECT_EQ(body.at("object"), "chat.completion");
  EXPECT_GT(body.at("created").to_number<std::int64_t>(), 1'700'000'000);
  EXPECT_EQ(body.at("model"), "scripted-7b");
  const json::value& choice = body.at("choices").at(0);
  EXPECT_EQ(choice.at("index"), 0);
  EXPECT_EQ(choice.at("message").at("role"), "assistant");
  EXPECT_EQ(choice.at("message").at("content"), "Hello, world!");
  EXPECT_EQ(choice.at("finish_reason"), "stop");
  EXPECT_EQ(body.at("usage").at("prompt_tokens"), 7);
  EXPECT_EQ(body.at("usage").at("completion_tokens"), 4);
  EXPECT_EQ(body.at("usage").at("total_tokens"), 11);

  const ChatRequest request = model->requests().back();
  ASSERT_EQ(request.messages.size(), 2u);
  EXPECT_EQ(request.messages[0].role, "system");
  EXPECT_EQ(request.messages[0].content, "be brief");
  EXPECT_EQ(request.messages[1].content, "hi");
  EXPECT_EQ(request.options.max_new_tokens, 9);
  EXPECT_FLOAT_EQ(request.options.temperature, 0.5f);
  EXPECT_FLOAT_EQ(request.options.top_p, 0.8f);
  EXPECT_EQ(request.options.seed, 42u);
  EXPECT_EQ(request.options.stop, std::vector<std::string>{"\n"});
  EXPECT_FLOAT_EQ(request.options.repeat_penalty, 1.0f) << "OpenAI's penalties are ignored";
  EXPECT_EQ(request.format, "json");
  EXPECT_EQ(request.model, "scripted-7b");

  client.post_json(kCompletions, {{"model", "scripted-7b"},
                                  {"messages", user_says("x")},
                                  {"max_completion_tokens", 3},
                                  {"max_tokens", 99},
                                  {"stop", {"a", "b"}}});
  EXPECT_EQ(model->requests().back().options.max_new_tokens, 3);
  EXPECT_EQ(model->requests().back().options.stop, (std::vector<std::string>{"a", "b"}));
}

TEST_F(OpenAiChat, AStreamIsOneEventPerPieceThenTheFinishReasonUsageAndDone) {
  auto client = world.client();
  const Response response =
      client.post_json(kCompletions, {{"model", "scripted-7b"},
                                      {"messages", user_says("hi")},
                                      {"stream", true},
                                      {"stream_options", {{"include_usage", true}}}});
  ASSERT_EQ(response.result(), beast_http::status::ok) << response.body();
  EXPECT_EQ(response[beast_http::field::content_type], "text/event-stream");
  EXPECT_EQ(response[beast_http::field::cache_control], "no-cache");
  const auto events = sse_data(response.body());
  ASSERT_EQ(events.size(), 7u) << response.body();  // 4 pieces, finish, usage, [DONE]
  const std::vector<std::string> pieces{"Hello", ", ", "world", "!"};
  std::string id;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const json::value chunk = json::parse(events[i]);
    EXPECT_EQ(chunk.at("object"), "chat.completion.chunk");
    EXPECT_EQ(chunk.at("model"), "scripted-7b");
    if (i == 0) id = std::string(chunk.at("id").as_string());
    EXPECT_EQ(chunk.at("id").as_string(), id) << "every chunk has the completion's id";
    const json::value& choice = chunk.at("choices").at(0);
    EXPECT_EQ(choice.at("delta").at("content").as_string(), pieces[i]);
    EXPECT_EQ(choice.at("delta").as_object().contains("role"), i == 0);
    EXPECT_TRUE(choice.at("finish_reason").is_null());
  }
  const json::value last = json::parse(events[4]);
  EXPECT_EQ(last.at("choices").at(0).at("finish_reason"), "stop");
  EXPECT_TRUE(last.at("choices").at(0).at("delta").as_object().empty());
  const json::value usage = json::parse(events[5]);
  EXPECT_TRUE(usage.at("choices").as_array().empty());
  EXPECT_EQ(usage.at("usage").at("completion_tokens"), 4);
  EXPECT_EQ(events[6], "[DONE]");

  const auto without_usage = sse_data(
      client
          .post_json(kCompletions,
                     {{"model", "scripted-7b"}, {"messages", user_says("hi")}, {"stream", true}})
          .body());
  EXPECT_EQ(without_usage.size(), 6u);
  EXPECT_EQ(without_usage.back(), "[DONE]");
}

TEST_F(OpenAiChat, ImagePartsAsDataUrisOrBareBase64ReachTheModel) {
  auto client = world.client();
  const std::string photo = photo_base64();
  json::array parts{
      json::object{{"type", "text"}, {"text", "what is this?"}},
      json::object{{"type", "image_url"},
                   {"image_url", {{"url", "data:image/jpeg;base64," + photo}, {"detail", "low"}}}},
      json::object{{"type", "image_url"}, {"image_url", {{"url", photo}}}},
      json::object{{"type", "text"}, {"text", "and this?"}}};
  const Response response =
      client.post_json(kCompletions, {{"model", "scripted-7b"}, {"messages", user_says(parts)}});
  ASSERT_EQ(response.result(), beast_http::status::ok) << response.body();
  const ChatRequest request = model->requests().back();
  ASSERT_EQ(request.messages.size(), 1u);
  EXPECT_EQ(request.messages[0].content, "what is this?\nand this?");
  ASSERT_EQ(request.messages[0].images.size(), 2u);
  for (const Image& image : request.messages[0].images) {
    EXPECT_EQ(image.width, 512);
    EXPECT_EQ(image.height, 600);
  }
}

TEST_F(OpenAiChat, BadImagesAndImageUrlsAre400AndTheConnectionLivesOn) {
  auto client = world.client();
  const auto image_part = [](const std::string& url) {
    return json::array{json::object{{"type", "image_url"}, {"image_url", {{"url", url}}}}};
  };
  const json::object bad_base64 = error_of(
      client.post_json(kCompletions, {{"model", "scripted-7b"},
                                      {"messages", user_says(image_part("data:image/png;base64,"
                                                                        "***not base64"))}}),
      beast_http::status::bad_request);
  EXPECT_EQ(bad_base64.at("type"), "invalid_request_error");
  EXPECT_NE(message_of(bad_base64).find("message 1: image 1"), std::string::npos)
      << message_of(bad_base64);
  const json::object not_an_image = error_of(
      client.post_json(kCompletions,
                       {{"model", "scripted-7b"}, {"messages", user_says(image_part("aGVsbG8h"))}}),
      beast_http::status::bad_request);
  EXPECT_NE(message_of(not_an_image).find("image 1"), std::string::npos);
  const json::object fetched =
      error_of(client.post_json(kCompletions,
                                {{"model", "scripted-7b"},
                                 {"messages", user_says(image_part("https://example.com/a.png"))}}),
               beast_http::status::bad_request);
  EXPECT_NE(message_of(fetched).find("not fetched"), std::string::npos) << message_of(fetched);
  EXPECT_TRUE(model->requests().empty()) << "nothing reached the model";
  EXPECT_EQ(
      client.post_json(kCompletions, {{"model", "scripted-7b"}, {"messages", user_says("hi")}})
          .result(),
      beast_http::status::ok)
      << "the same connection still serves";
}

TEST_F(OpenAiChat, ToolCallsComeBackWithIdsAndStringArgumentsAndToolResultsGoToTheModel) {
  model->tool_calls = {{.name = "get_weather", .arguments = {{"city", "Paris"}}}};
  model->pieces = {};
  auto client = world.client();
  const json::value tool = {{"type", "function"},
                            {"function",
                             {{"name", "get_weather"},
                              {"description", "weather of a city"},
                              {"parameters", {{"type", "object"}}}}}};
  const json::value body = json_body(client.post_json(
      kCompletions,
      {{"model", "scripted-7b"}, {"messages", user_says("weather?")}, {"tools", {tool}}}));
  const json::value& choice = body.at("choices").at(0);
  EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
  EXPECT_TRUE(choice.at("message").at("content").is_null());
  const json::value& call = choice.at("message").at("tool_calls").at(0);
  EXPECT_TRUE(call.at("id").as_string().starts_with("call_"));
  EXPECT_EQ(call.at("type"), "function");
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  ASSERT_TRUE(call.at("function").at("arguments").is_string());
  EXPECT_EQ(json::parse(call.at("function").at("arguments").as_string()),
            (json::value{{"city", "Paris"}}));
  ASSERT_EQ(model->requests().back().tools.size(), 1u);
  EXPECT_EQ(model->requests().back().tools[0].name, "get_weather");
  EXPECT_EQ(model->requests().back().tools[0].description, "weather of a city");

  // The client runs the tool and sends its result back, as the openai library does.
  model->tool_calls.clear();
  model->pieces = {"Sunny."};
  json::array messages{
      json::object{{"role", "user"}, {"content", "weather?"}},
      json::object{{"role", "assistant"}, {"content", nullptr}, {"tool_calls", {call}}},
      json::object{{"role", "tool"}, {"tool_call_id", call.at("id")}, {"content", "sunny, 24 C"}}};
  const json::value answer = json_body(client.post_json(
      kCompletions, {{"model", "scripted-7b"}, {"messages", messages}, {"tools", {tool}}}));
  EXPECT_EQ(answer.at("choices").at(0).at("message").at("content"), "Sunny.");
  EXPECT_EQ(answer.at("choices").at(0).at("finish_reason"), "stop");
  const ChatRequest request = model->requests().back();
  ASSERT_EQ(request.messages.size(), 3u);
  ASSERT_EQ(request.messages[1].tool_calls.size(), 1u);
  EXPECT_EQ(request.messages[1].tool_calls[0].name, "get_weather");
  EXPECT_EQ(request.messages[1].tool_calls[0].arguments.at("city"), "Paris");
  EXPECT_EQ(request.messages[2].role, "tool");
  EXPECT_EQ(request.messages[2].content, "sunny, 24 C");
  EXPECT_EQ(request.messages[2].tool_name, "get_weather");

  client.post_json(kCompletions, {{"model", "scripted-7b"},
                                  {"messages", user_says("x")},
                                  {"tools", {tool}},
                                  {"tool_choice", "none"}});
  EXPECT_TRUE(model->requests().back().tools.empty()) << "tool_choice none offers no tools";
}

TEST_F(OpenAiChat, StreamedToolCallsComeInADeltaOfTheirOwn) {
  model->tool_calls = {{.name = "lights_on", .arguments = {{"room", "hall"}}}};
  model->pieces = {};
  auto client = world.client();
  const json::value tool = {{"type", "function"}, {"function", {{"name", "lights_on"}}}};
  const auto events = sse_data(client
                                   .post_json(kCompletions, {{"model", "scripted-7b"},
                                                             {"messages", user_says("light")},
                                                             {"tools", {tool}},
                                                             {"stream", true}})
                                   .body());
  ASSERT_EQ(events.size(), 4u);  // role, tool calls, finish, [DONE]
  EXPECT_EQ(json::parse(events[0]).at("choices").at(0).at("delta").at("role"), "assistant");
  const json::value tool_chunk = json::parse(events[1]);
  const json::value& call = tool_chunk.at("choices").at(0).at("delta").at("tool_calls").at(0);
  EXPECT_EQ(call.at("index"), 0);
  EXPECT_EQ(call.at("function").at("name"), "lights_on");
  EXPECT_EQ(json::parse(call.at("function").at("arguments").as_string()).at("room"), "hall");
  EXPECT_EQ(json::parse(events[2]).at("choices").at(0).at("finish_reason"), "tool_calls");
  EXPECT_EQ(events[3], "[DONE]");
}

TEST_F(OpenAiChat, AnAgentIsAModelByHerName) {
  auto client = world.client();
  json::array parts{
      json::object{{"type", "text"}, {"text", "who is there?"}},
      json::object{{"type", "image_url"},
                   {"image_url", {{"url", "data:image/jpeg;base64," + photo_base64()}}}}};
  const json::value body = json_body(
      client.post_json(kCompletions, {{"model", "sophia"}, {"messages", user_says(parts)}},
                       {{"X-Seer-Session", "game"}}));
  EXPECT_EQ(body.at("model"), "sophia");
  EXPECT_EQ(body.at("choices").at(0).at("message").at("content"), "I see you.");
  EXPECT_EQ(body.at("seer").at("actions").at(0).at("tool"), "set_light");
  const AgentTurn turn = agent->turns().back();
  EXPECT_EQ(turn.session, "game");
  EXPECT_EQ(turn.text, "who is there?");
  EXPECT_EQ(turn.images.size(), 1u);
  EXPECT_FALSE(turn.options) << "no sampling fields sent: she keeps her own";

  const auto events = sse_data(
      client
          .post_json(kCompletions,
                     {{"model", "sophia"}, {"messages", user_says("hello")}, {"stream", true}})
          .body());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(json::parse(events[0]).at("choices").at(0).at("delta").at("content"), "I see ");
  EXPECT_EQ(json::parse(events[2]).at("seer").at("vision_report").at("people"), 1);
}

TEST_F(OpenAiChat, BadRequestsAre400Or404InOpenAisShapeAndTheConnectionLivesOn) {
  auto client = world.client();
  const json::object unknown =
      error_of(client.post_json(kCompletions, {{"model", "gpt-9"}, {"messages", user_says("hi")}}),
               beast_http::status::not_found);
  EXPECT_EQ(unknown.at("code"), "model_not_found");
  EXPECT_EQ(unknown.at("param"), "model");
  EXPECT_EQ(unknown.at("type"), "invalid_request_error");

  const auto bad = [&](const std::string& body, const std::string& says) {
    const json::object error =
        error_of(client.post(kCompletions, body), beast_http::status::bad_request);
    EXPECT_NE(message_of(error).find(says), std::string::npos) << message_of(error);
    EXPECT_EQ(error.at("type"), "invalid_request_error");
  };
  const auto bad_json = [&](json::object body, const std::string& says) {
    if (!body.contains("model")) body["model"] = "scripted-7b";
    if (!body.contains("messages")) body["messages"] = user_says("hi");
    bad(json::serialize(body), says);
  };
  bad("{\"model\": ", "invalid JSON");
  bad("", "missing request body");
  bad("[1]", "JSON object");
  bad_json({{"n", 2}}, "n must be 1");
  bad_json({{"model", ""}}, "model is required");
  bad_json({{"messages", "hi"}}, "messages must be a list");
  bad_json({{"messages", json::array{}}}, "messages must not be empty");
  bad_json({{"messages", user_says(5)}}, "content must be a string or a list of parts");
  bad_json({{"messages", json::array{json::object{{"role", "wizard"}, {"content", "x"}}}}},
           "role 'wizard'");
  bad_json({{"messages", user_says(json::array{json::object{{"type", "input_audio"}}})}},
           "input_audio");
  bad_json({{"stream", "yes"}}, "stream must be true or false");
  bad_json({{"temperature", "hot"}}, "temperature must be a number");
  bad_json({{"max_tokens", 0}}, "max_tokens must be at least 1");
  bad_json({{"stop", 3}}, "stop must be a list of strings");
  bad_json({{"response_format", {{"type", "xml"}}}}, "response_format");
  bad_json({{"tool_choice", "sometimes"}}, "tool_choice");
  bad_json({{"tools", "all"}}, "tools must be a list");
  model->model_info.tools = false;
  bad_json({{"tools", {{{"type", "function"}, {"function", {{"name", "f"}}}}}}},
           "does not support tools");
  EXPECT_TRUE(model->requests().empty()) << "nothing reached the model";

  const json::object no_route = error_of(client.get("/v1/nothing"), beast_http::status::not_found);
  EXPECT_EQ(no_route.at("code"), "unknown_url");
  error_of(client.get(kCompletions), beast_http::status::method_not_allowed);
  EXPECT_EQ(
      client.post_json(kCompletions, {{"model", "scripted-7b"}, {"messages", user_says("hi")}})
          .result(),
      beast_http::status::ok)
      << "the same connection still serves";
}

TEST_F(OpenAiChat, ABackendFailingIs500BeforeTheStreamAndAnErrorEventAfter) {
  model->throw_after = 0;
  auto client = world.client();
  const json::object error = error_of(
      client.post_json(kCompletions,
                       {{"model", "scripted-7b"}, {"messages", user_says("hi")}, {"stream", true}}),
      beast_http::status::internal_server_error);
  EXPECT_EQ(error.at("message"), "the scripted backend broke");
  EXPECT_EQ(error.at("type"), "server_error");

  model->throw_after = 2;
  const Response response = client.post_json(
      kCompletions, {{"model", "scripted-7b"}, {"messages", user_says("hi")}, {"stream", true}});
  EXPECT_EQ(response.result(), beast_http::status::ok);
  const auto events = sse_data(response.body());
  ASSERT_EQ(events.size(), 3u) << response.body();
  EXPECT_EQ(json::parse(events[1]).at("choices").at(0).at("delta").at("content"), ", ");
  EXPECT_EQ(json::parse(events[2]).at("error").at("message"), "the scripted backend broke");
  model->throw_after = -1;
  EXPECT_EQ(
      client.post_json(kCompletions, {{"model", "scripted-7b"}, {"messages", user_says("hi")}})
          .result(),
      beast_http::status::ok)
      << "the connection lives on";
}

}  // namespace
}  // namespace seer::http::test
