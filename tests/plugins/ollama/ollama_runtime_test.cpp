// The ollama plugin as the runtime runs it: loaded by the real loader from YAML, ready at once,
// its ChatModel in the registry under its name, capabilities asked of the server; and its
// configuration mistakes reported with file, line and key.

#include "ollama_test_support.hpp"

#include <seer/host/runtime.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "event_collector.hpp"

namespace seer::ollama::test {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

struct Prepared {
  std::unique_ptr<Runtime> runtime;
  std::vector<std::string> diagnostics;
};

Prepared prepare(const std::string& yaml) {
  Prepared prepared;
  std::vector<ConfigDiagnostic> found;
  const ConfigNode root = ConfigNode::load_string(yaml, "seer.yaml");
  prepared.runtime = std::make_unique<Runtime>(read_runtime_config(root, found),
                                               PluginLoader({SEER_PLUGIN_BUILD_DIR}));
  for (const auto& diagnostic : prepared.runtime->prepare()) found.push_back(diagnostic);
  for (const auto& diagnostic : found) prepared.diagnostics.push_back(diagnostic.to_string());
  return prepared;
}

TEST(OllamaRuntime, ProvidesTheChatModelUnderItsName) {
  ScriptedOllamaServer server;
  server.script("/api/show",
                streamed({json_line({{"capabilities", {"completion", "tools", "thinking"}}})}));
  server.script("/api/chat", streamed({content_line("Hi"), final_line()}));
  Prepared prepared = prepare(
      "plugins:\n"
      "  character:\n"
      "    plugin: ollama\n"
      "    url: " +
      server.url() +
      "\n"
      "    model: llama3.1:8b\n"
      "    name: brain\n"
      "    options: {num_ctx: 4096}\n");
  ASSERT_TRUE(prepared.diagnostics.empty()) << prepared.diagnostics[0];
  Runtime& runtime = *prepared.runtime;
  runtime.start();
  EXPECT_EQ(runtime.status().front().health.state, HealthState::ready);

  const auto model = runtime.registry().get<ChatModel>("brain");
  const GenerationResult result = model->chat(hello_request(), {}, {});
  EXPECT_EQ(result.text, "Hi");
  // /api/show is asked in the background; its answer replaces the assumptions soon after start.
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!model->info().thinking && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  const ChatModelInfo info = model->info();
  EXPECT_EQ(info.model, "llama3.1:8b");
  EXPECT_TRUE(info.thinking);
  EXPECT_TRUE(info.tools);
  EXPECT_FALSE(info.vision);
  EXPECT_TRUE(runtime.stop());
  bool sent_options = false;
  for (const RecordedRequest& request : server.requests()) {
    if (request.target == "/api/chat") {
      sent_options = request.body.at("options").at("num_ctx") == 4096;
    }
  }
  EXPECT_TRUE(sent_options);
}

TEST(OllamaRuntime, StartsWithoutAServerAndStopsPromptly) {
  ScriptedOllamaServer server;
  ScriptedReply silent;
  silent.silent = true;
  server.script("/api/show", silent);
  Prepared prepared = prepare(
      "plugins:\n"
      "  ollama:\n"
      "    url: " +
      server.url() +
      "\n"
      "    model: llama3.1:8b\n");
  ASSERT_TRUE(prepared.diagnostics.empty()) << prepared.diagnostics[0];
  Runtime& runtime = *prepared.runtime;
  runtime.start();
  ASSERT_TRUE(server.wait_for_requests(1));
  EXPECT_EQ(runtime.status().front().health.state, HealthState::ready);
  const auto model = runtime.registry().get<ChatModel>("ollama");
  EXPECT_TRUE(model->info().tools);
  EXPECT_TRUE(model->info().vision);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(runtime.stop());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);  // not read_timeout (60 s)
}

TEST(OllamaRuntime, AModelTheServerDoesNotHaveDegradesHealth) {
  ScriptedOllamaServer server;
  server.script("/api/show", error_reply(404, "model 'nope:1b' not found"));
  Prepared prepared = prepare(
      "plugins:\n"
      "  ollama:\n"
      "    url: " +
      server.url() +
      "\n"
      "    model: nope:1b\n");
  ASSERT_TRUE(prepared.diagnostics.empty()) << prepared.diagnostics[0];
  Runtime& runtime = *prepared.runtime;
  seer::test::EventCollector health;
  auto subscription = runtime.bus().subscribe("seer/health/ollama", health.handler());
  runtime.start();
  // starting, ready, then degraded once /api/show has answered in the background.
  ASSERT_TRUE(health.wait_for(3));
  EXPECT_EQ(health.events().back()->payload.at("state"), "degraded");
  EXPECT_EQ(std::string(health.events().back()->payload.at("reason").as_string()),
            "ollama at " + server.url() + ": model 'nope:1b' not found (404)");
  EXPECT_TRUE(runtime.stop());
}

TEST(OllamaRuntime, ConfigurationMistakesNameFileLineAndKey) {
  const Prepared missing = prepare(
      "plugins:\n"
      "  ollama:\n"
      "    url: http://127.0.0.1:11434\n");
  ASSERT_FALSE(missing.diagnostics.empty());
  EXPECT_THAT(missing.diagnostics[0], HasSubstr("seer.yaml:2:"));
  EXPECT_THAT(missing.diagnostics[0], HasSubstr("error: key 'plugins.ollama.model'"));

  const Prepared wrong = prepare(
      "plugins:\n"
      "  ollama:\n"
      "    model: llama3.1:8b\n"
      "    modle: llama3.1:8b\n"
      "    url: https://gpu-box:11434\n");
  ASSERT_EQ(wrong.diagnostics.size(), 2u) << wrong.diagnostics[0];
  EXPECT_THAT(wrong.diagnostics[0],
              HasSubstr("seer.yaml:4:5: warning: key 'plugins.ollama.modle': unknown key 'modle' "
                        "(did you mean 'model'?)"));
  EXPECT_THAT(wrong.diagnostics[1], HasSubstr("seer.yaml:5:10: error: key 'plugins.ollama.url': "
                                              "https is not supported"));
}

}  // namespace
}  // namespace seer::ollama::test
