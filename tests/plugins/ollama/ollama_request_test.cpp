// What goes over the wire: the /api/chat body as Ollama expects it, and its headers.

#include "ollama_chat_model.hpp"
#include "ollama_test_support.hpp"

#include <seer/image_io.hpp>

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <opencv2/core.hpp>

#include <cstdlib>

namespace seer::ollama::test {
namespace {

std::vector<std::byte> from_base64(const std::string& text) {
  std::vector<std::byte> bytes(3 * text.size() / 4 + 3);
  const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  EXPECT_GE(decoded, 0) << "not base64";
  // EVP_DecodeBlock counts the padding as zero bytes; PNG decoders ignore trailing bytes.
  bytes.resize(static_cast<std::size_t>(std::max(decoded, 0)));
  return bytes;
}

Image test_image(int width, int height) {
  cv::Mat pixels(height, width, CV_8UC3, cv::Scalar(10, 120, 240));
  return image_io::image_from_mat(pixels);
}

TEST(OllamaRequest, CarriesMessagesImagesToolsOptionsAndKeepAliveAsOllamaExpects) {
  ScriptedOllamaServer server;
  server.script("/api/chat", streamed({content_line("ok"), final_line()}));
  OllamaSettings settings = settings_for(server.url());
  settings.options = {{"num_ctx", 8192}, {"temperature", 0.5}};
  settings.keep_alive = std::chrono::minutes(10);
  OllamaChatModel model(settings);

  ChatRequest request;
  request.messages.push_back({.role = "system", .content = "You are a lamp."});
  request.messages.push_back(
      {.role = "user", .content = "What is this?", .images = {test_image(64, 48)}});
  request.messages.push_back(
      {.role = "assistant",
       .tool_calls = {{.name = "set_light", .arguments = {{"room", "kitchen"}}}}});
  request.messages.push_back({.role = "tool", .content = "done", .tool_name = "set_light"});
  request.tools.push_back({.name = "set_light",
                           .description = "Turns a light on",
                           .parameters = {{"type", "object"},
                                          {"properties", {{"room", {{"type", "string"}}}}},
                                          {"required", {"room"}}}});
  request.options.max_new_tokens = 64;
  request.options.temperature = 0.25f;
  request.options.seed = 42;
  request.options.stop = {"</s>"};
  request.format = "json";
  request.keep_alive = Duration(-1);
  model.chat(request, {}, {});

  ASSERT_TRUE(server.wait_for_requests(1));
  const RecordedRequest recorded = server.requests().front();
  EXPECT_EQ(recorded.method, "POST");
  EXPECT_EQ(recorded.target, "/api/chat");
  EXPECT_EQ(recorded.authorization, "");
  const boost::json::object& body = recorded.body.as_object();
  EXPECT_EQ(body.at("model"), "llama3.1:8b");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("think"), false);
  EXPECT_EQ(body.at("format"), "json");
  EXPECT_EQ(body.at("keep_alive"), -1);  // the request's, over the settings' 600

  const boost::json::array& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[0].at("role"), "system");
  EXPECT_EQ(messages[0].at("content"), "You are a lamp.");
  EXPECT_EQ(messages[0].as_object().if_contains("images"), nullptr);
  const boost::json::array& images = messages[1].at("images").as_array();
  ASSERT_EQ(images.size(), 1u);
  const std::vector<std::byte> png = from_base64(std::string(images[0].as_string()));
  const image_io::ImageHeader header = image_io::read_image_header(png);
  EXPECT_EQ(header.format, "png");
  EXPECT_EQ(header.width, 64);
  EXPECT_EQ(header.height, 48);
  const Image decoded = image_io::decode_image(png);
  EXPECT_EQ(image_io::mat_view(decoded).at<cv::Vec3b>(5, 5), cv::Vec3b(10, 120, 240));
  EXPECT_EQ(messages[2].at("role"), "assistant");
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("function").at("name"), "set_light");
  EXPECT_EQ(messages[2].at("tool_calls").at(0).at("function").at("arguments").at("room"),
            "kitchen");
  EXPECT_EQ(messages[3].at("role"), "tool");
  EXPECT_EQ(messages[3].at("tool_name"), "set_light");

  const boost::json::value& tool = body.at("tools").at(0);
  EXPECT_EQ(tool.at("type"), "function");
  EXPECT_EQ(tool.at("function").at("name"), "set_light");
  EXPECT_EQ(tool.at("function").at("description"), "Turns a light on");
  EXPECT_EQ(tool.at("function").at("parameters").at("required").at(0), "room");

  const boost::json::object& options = body.at("options").as_object();
  EXPECT_EQ(options.at("num_predict"), 64);
  EXPECT_EQ(options.at("temperature").as_double(), 0.25);
  EXPECT_EQ(options.at("num_ctx"), 8192);
  EXPECT_EQ(options.at("seed"), 42);
  EXPECT_EQ(options.at("stop").at(0), "</s>");
  EXPECT_EQ(options.at("top_k"), 0);
  EXPECT_EQ(options.at("top_p").as_double(), 1.0);
  EXPECT_EQ(options.at("min_p").as_double(), 0.0);
  EXPECT_EQ(options.at("repeat_penalty").as_double(), 1.0);
}

TEST(OllamaRequest, ThinkContextLengthAndTheConfiguredKeepAlive) {
  ScriptedOllamaServer server;
  server.script("/api/chat", streamed({final_line()}));
  OllamaSettings settings = settings_for(server.url());
  settings.keep_alive = Duration(1500);
  OllamaChatModel model(settings);
  ChatRequest request = hello_request();
  request.options.think = true;
  request.options.context_length = 32768;
  model.chat(request, {}, {});
  ASSERT_TRUE(server.wait_for_requests(1));
  const boost::json::object body = server.requests().front().body.as_object();
  EXPECT_EQ(body.at("think"), true);
  EXPECT_EQ(body.at("keep_alive"), "1500ms");
  EXPECT_EQ(body.at("options").at("num_ctx"), 32768);
  EXPECT_EQ(body.if_contains("tools"), nullptr);
  EXPECT_EQ(body.if_contains("format"), nullptr);
}

TEST(OllamaRequest, SendsTheApiKeyAsABearerTokenUnderThePathPrefix) {
  ScriptedOllamaServer server;
  server.script("/proxy/ollama/api/chat", streamed({final_line()}));
  OllamaSettings settings = settings_for(server.url() + "/proxy/ollama/");
  settings.api_key.value = "token-123";
  OllamaChatModel model(settings);
  model.chat(hello_request(), {}, {});
  ASSERT_TRUE(server.wait_for_requests(1));
  EXPECT_EQ(server.requests().front().target, "/proxy/ollama/api/chat");
  EXPECT_EQ(server.requests().front().authorization, "Bearer token-123");
}

}  // namespace
}  // namespace seer::ollama::test
