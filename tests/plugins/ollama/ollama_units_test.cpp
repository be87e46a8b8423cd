// The parts that need no server: configuration, the request body, the NDJSON reader.

#include "chat_request_body.hpp"
#include "chat_stream_reader.hpp"
#include "ollama_settings.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <string>
#include <vector>

namespace seer::ollama {
namespace {

OllamaSettings settings_from(const std::string& yaml) {
  return read_ollama_settings(ConfigNode::load_string(yaml, "ollama.yaml"));
}

std::string config_error(const std::string& yaml) {
  try {
    settings_from(yaml);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(OllamaSettings, DefaultsNeedOnlyTheModel) {
  const OllamaSettings settings = settings_from("model: llama3.1:8b\n");
  EXPECT_EQ(settings.model, "llama3.1:8b");
  EXPECT_EQ(settings.server.url, "http://127.0.0.1:11434");
  EXPECT_EQ(settings.server.host, "127.0.0.1");
  EXPECT_EQ(settings.server.port, "11434");
  EXPECT_EQ(settings.server.path_prefix, "");
  EXPECT_FALSE(settings.keep_alive);
  EXPECT_FALSE(settings.think);
  EXPECT_TRUE(settings.options.empty());
  EXPECT_TRUE(settings.api_key.empty());
}

TEST(OllamaSettings, ReadsEveryKey) {
  ::setenv("SEER_OLLAMA_TEST_KEY", "s3cret", 1);
  const OllamaSettings settings = settings_from(
      "url: http://gpu-box:8080/ollama/\n"
      "model: qwen3:14b\n"
      "name: brain\n"
      "options: {temperature: 0.6, num_ctx: 8192, stop: [\"<end>\"], use_mmap: true}\n"
      "keep_alive: 10m\n"
      "think: true\n"
      "connect_timeout: 2s\n"
      "load_timeout: 90s\n"
      "read_timeout: 250ms\n"
      "api_key_env: SEER_OLLAMA_TEST_KEY\n");
  EXPECT_EQ(settings.server.url, "http://gpu-box:8080/ollama");
  EXPECT_EQ(settings.server.host, "gpu-box");
  EXPECT_EQ(settings.server.authority, "gpu-box:8080");
  EXPECT_EQ(settings.server.path_prefix, "/ollama");
  EXPECT_EQ(settings.service_name, "brain");
  EXPECT_EQ(settings.options.at("temperature").as_double(), 0.6);
  EXPECT_EQ(settings.options.at("num_ctx").as_int64(), 8192);
  EXPECT_EQ(settings.options.at("stop").at(0), "<end>");
  EXPECT_EQ(settings.options.at("use_mmap").as_bool(), true);
  EXPECT_EQ(settings.keep_alive, std::chrono::minutes(10));
  EXPECT_TRUE(settings.think);
  EXPECT_EQ(settings.connect_timeout, std::chrono::seconds(2));
  EXPECT_EQ(settings.load_timeout, std::chrono::seconds(90));
  EXPECT_EQ(settings.read_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(settings.api_key_env, "SEER_OLLAMA_TEST_KEY");
  EXPECT_EQ(settings.api_key.value, "s3cret");
}

TEST(OllamaSettings, KeepAliveMinusOneMeansForEver) {
  EXPECT_LT(settings_from("model: m\nkeep_alive: -1\n").keep_alive->count(), 0);
  EXPECT_EQ(settings_from("model: m\nkeep_alive: 0\n").keep_alive->count(), 0);
}

TEST(OllamaSettings, MistakesAreLocatedAtTheKey) {
  EXPECT_EQ(config_error("model: m\nurl: https://box:11434\n").find("ollama.yaml:2:"), 0u);
  EXPECT_NE(config_error("model: m\nurl: https://box:11434\n").find("https is not supported"),
            std::string::npos);
  EXPECT_NE(config_error("model: m\nurl: ftp://box\n").find("must start with http://"),
            std::string::npos);
  EXPECT_NE(config_error("model: m\nurl: not a url\n").find("is not a URL"), std::string::npos);
  EXPECT_NE(config_error("model: m\nread_timeout: 0s\n").find("key 'read_timeout'"),
            std::string::npos);
  EXPECT_NE(config_error("model: m\nkeep_alive: soon\n").find("key 'keep_alive'"),
            std::string::npos);
  EXPECT_NE(config_error("model: m\noptions: [1, 2]\n").find("options must be a map"),
            std::string::npos);
  EXPECT_NE(config_error("url: http://box\n").find("key 'model'"), std::string::npos);
}

TEST(OllamaSettings, AnUnsetKeyVariableIsNamedNotShown) {
  ::unsetenv("SEER_OLLAMA_NO_SUCH_KEY");
  const std::string message = config_error("model: m\napi_key_env: SEER_OLLAMA_NO_SUCH_KEY\n");
  EXPECT_NE(message.find("ollama.yaml:2:"), std::string::npos) << message;
  EXPECT_NE(message.find("SEER_OLLAMA_NO_SUCH_KEY (named by api_key_env) is not set"),
            std::string::npos)
      << message;
}

TEST(OllamaRequestBody, RequestOptionsGoOverConfiguredOnesLeftAtDefaultsGiveWay) {
  const boost::json::object configured{
      {"temperature", 0.6}, {"num_ctx", 4096}, {"num_predict", 64}};
  GenerationOptions request;
  request.top_k = 20;
  request.max_new_tokens = 100;
  request.seed = 7;
  request.stop = {"\n\n"};
  const boost::json::object options = merged_options(request, configured);
  EXPECT_EQ(options.at("temperature").as_double(), 0.6);  // the request left it at 0
  EXPECT_EQ(options.at("num_ctx").as_int64(), 4096);
  EXPECT_EQ(options.at("num_predict").as_int64(), 100);
  EXPECT_EQ(options.at("top_k").as_int64(), 20);
  EXPECT_EQ(options.at("top_p").as_double(), 1.0);
  EXPECT_EQ(options.at("seed").as_uint64(), 7u);
  EXPECT_EQ(boost::json::serialize(options.at("stop")), R"(["\n\n"])");

  request.temperature = 0.7f;
  request.context_length = 16384;
  const boost::json::object again = merged_options(request, configured);
  EXPECT_EQ(again.at("temperature").as_double(), 0.7);  // written as 0.7, not 0.69999...
  EXPECT_EQ(again.at("num_ctx").as_int64(), 16384);
}

TEST(OllamaRequestBody, KeepAliveIsWrittenAsOllamaReadsIt) {
  EXPECT_EQ(boost::json::serialize(keep_alive_json(Duration(-1))), "-1");
  EXPECT_EQ(boost::json::serialize(keep_alive_json(Duration(0))), "0");
  EXPECT_EQ(boost::json::serialize(keep_alive_json(std::chrono::minutes(5))), "300");
  EXPECT_EQ(boost::json::serialize(keep_alive_json(Duration(1500))), R"("1500ms")");
}

TEST(OllamaRequestBody, TheRequestsModelGoesOverTheConfiguredOne) {
  OllamaSettings settings;
  settings.model = "llama3.2";
  ChatRequest request;
  EXPECT_EQ(chat_request_body(request, settings).at("model"), "llama3.2");
  request.model = "qwen2.5:7b";
  EXPECT_EQ(chat_request_body(request, settings).at("model"), "qwen2.5:7b");
}

TEST(OllamaRequestBody, AFormatThatIsNoSchemaIsRefused) {
  OllamaSettings settings;
  ChatRequest request;
  request.format = "{not json";
  EXPECT_THROW(chat_request_body(request, settings), std::invalid_argument);
  request.format = R"({"type":"object","properties":{"mood":{"type":"string"}}})";
  EXPECT_EQ(chat_request_body(request, settings).at("format").at("type"), "object");
}

TEST(ChatStreamReader, LinesSplitAcrossReadsAndJoinedInOne) {
  std::vector<std::string> pieces;
  const TokenCallback collect = [&](std::string_view piece) {
    pieces.emplace_back(piece);
    return true;
  };
  ChatStreamReader reader(collect);
  const std::string body =
      R"({"message":{"role":"assistant","content":"Hel"},"done":false})"
      "\n"
      R"({"message":{"role":"assistant","content":"lo","thinking":"hm"},"done":false})"
      "\n\n"
      R"({"message":{"role":"assistant","content":""},"done":true,"done_reason":"length","eval_count":2})";
  // One byte at a time, then everything at once: the same pieces either way.
  for (char c : body) ASSERT_TRUE(reader.feed(std::string_view(&c, 1)));
  EXPECT_FALSE(reader.done());  // the last line has no newline yet
  ASSERT_TRUE(reader.finish());
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(pieces, (std::vector<std::string>{"Hel", "lo"}));
  EXPECT_EQ(reader.result().text, "Hello");
  EXPECT_EQ(reader.result().thinking, "hm");
  EXPECT_EQ(reader.result().done_reason, "length");
  EXPECT_EQ(reader.result().generated_tokens, 2);

  pieces.clear();
  ChatStreamReader whole(collect);
  ASSERT_TRUE(whole.feed(body + "\n"));
  EXPECT_TRUE(whole.done());
  EXPECT_EQ(pieces, (std::vector<std::string>{"Hel", "lo"}));
}

TEST(ChatStreamReader, MalformedLinesAndErrorLinesThrow) {
  const TokenCallback ignore = [](std::string_view) { return true; };
  ChatStreamReader broken(ignore);
  EXPECT_THROW(broken.feed("{\"message\": \n"), StreamError);
  ChatStreamReader failing(ignore);
  try {
    failing.feed(R"({"error":"CUDA out of memory"})"
                 "\n");
    FAIL() << "no error";
  } catch (const StreamError& error) {
    EXPECT_STREQ(error.what(), "CUDA out of memory");
  }
}

TEST(ChatStreamReader, ToolCallArgumentsAsObjectsOrJsonStrings) {
  const TokenCallback ignore = [](std::string_view) { return true; };
  ChatStreamReader reader(ignore);
  ASSERT_TRUE(reader.feed(
      R"({"message":{"role":"assistant","content":"","tool_calls":[)"
      R"({"function":{"name":"set_light","arguments":{"room":"kitchen","on":true}}},)"
      R"({"function":{"name":"get_time","arguments":"{\"zone\":\"UTC\"}"}}]},"done":false})"
      "\n"));
  ASSERT_EQ(reader.result().tool_calls.size(), 2u);
  EXPECT_EQ(reader.result().tool_calls[0].name, "set_light");
  EXPECT_EQ(reader.result().tool_calls[0].arguments.at("room"), "kitchen");
  EXPECT_EQ(reader.result().tool_calls[1].arguments.at("zone"), "UTC");
}

}  // namespace
}  // namespace seer::ollama
