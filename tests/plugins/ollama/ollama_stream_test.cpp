// Replies streamed by the server: pieces in order as they arrive, the final chunk's counts,
// thinking, tool calls, the capabilities from /api/show, and several chats at once.

#include "ollama_chat_model.hpp"
#include "ollama_test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace seer::ollama::test {
namespace {

using namespace std::chrono_literals;

TEST(OllamaStream, PiecesArriveInOrderAsTheyAreStreamed) {
  ScriptedOllamaServer server;
  server.script("/api/chat", streamed({content_line("The"), content_line(" lamp"),
                                       content_line(" is on."), final_line("stop")},
                                      20ms));
  OllamaChatModel model(settings_for(server.url()));
  std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> arrivals;
  const GenerationResult result =
      model.chat(hello_request(),
                 [&](std::string_view piece) {
                   arrivals.emplace_back(std::string(piece), std::chrono::steady_clock::now());
                   return true;
                 },
                 {});
  ASSERT_EQ(arrivals.size(), 3u);
  EXPECT_EQ(arrivals[0].first, "The");
  EXPECT_EQ(arrivals[1].first, " lamp");
  EXPECT_EQ(arrivals[2].first, " is on.");
  // Each piece came when its chunk did, not all at the end.
  EXPECT_GE(arrivals[2].second - arrivals[0].second, 30ms);
  EXPECT_EQ(result.text, "The lamp is on.");
  EXPECT_EQ(result.done_reason, "stop");
  EXPECT_EQ(result.prompt_tokens, 26);
  EXPECT_EQ(result.generated_tokens, 3);
  EXPECT_EQ(result.load_nanoseconds, 100'000'000);
  EXPECT_EQ(result.prompt_nanoseconds, 200'000'000);
  EXPECT_EQ(result.generation_nanoseconds, 600'000'000);
  EXPECT_TRUE(result.tool_calls.empty());
}

TEST(OllamaStream, SeveralLinesInOneChunkAndOneLineOverSeveral) {
  const std::string first = content_line("Hello");
  const std::string second = content_line(", world");
  ScriptedReply reply;
  reply.chunks = {
      {0ms, first + second.substr(0, 10)}, {10ms, second.substr(10)}, {10ms, final_line("length")}};
  ScriptedOllamaServer server;
  server.script("/api/chat", reply);
  OllamaChatModel model(settings_for(server.url()));
  PieceCollector collector;
  const GenerationResult result = model.chat(hello_request(), collector.callback(), {});
  EXPECT_EQ(collector.pieces, (std::vector<std::string>{"Hello", ", world"}));
  EXPECT_EQ(result.done_reason, "length");
}

TEST(OllamaStream, ThinkingIsCollectedNotStreamed) {
  ScriptedOllamaServer server;
  server.script("/api/chat",
                streamed({content_line("", "The user greets. "),
                          content_line("", "Answer briefly."), content_line("Hi!"), final_line()}));
  OllamaChatModel model(settings_for(server.url()));
  PieceCollector collector;
  const GenerationResult result = model.chat(hello_request(), collector.callback(), {});
  EXPECT_EQ(collector.pieces, (std::vector<std::string>{"Hi!"}));
  EXPECT_EQ(result.thinking, "The user greets. Answer briefly.");
  EXPECT_EQ(result.text, "Hi!");
}

TEST(OllamaStream, AToolCallInTheReplyComesBackAsToolCalls) {
  ScriptedOllamaServer server;
  server.script(
      "/api/chat",
      streamed({json_line({{"model", "scripted"},
                           {"message",
                            {{"role", "assistant"},
                             {"content", ""},
                             {"tool_calls",
                              {{{"function",
                                 {{"name", "set_light"},
                                  {"arguments", {{"room", "kitchen"}, {"brightness", 80}}}}}}}}}},
                           {"done", false}}),
                final_line()}));
  OllamaChatModel model(settings_for(server.url()));
  PieceCollector collector;
  ChatRequest request = hello_request();
  request.tools.push_back({.name = "set_light", .description = "Sets a light"});
  const GenerationResult result = model.chat(request, collector.callback(), {});
  EXPECT_TRUE(collector.pieces.empty());
  ASSERT_EQ(result.tool_calls.size(), 1u);
  EXPECT_EQ(result.tool_calls[0].name, "set_light");
  EXPECT_EQ(result.tool_calls[0].arguments.at("room"), "kitchen");
  EXPECT_EQ(result.tool_calls[0].arguments.at("brightness"), 80);
  EXPECT_EQ(result.done_reason, "stop");
}

TEST(OllamaStream, SeveralThreadsChatAtOnceEachOnItsOwnConnection) {
  ScriptedOllamaServer server;
  // Slow enough that the chats overlap: together they take about as long as one.
  server.script("/api/chat", streamed({content_line("a"), content_line("b"), final_line()}, 150ms));
  OllamaChatModel model(settings_for(server.url()));
  const auto start = std::chrono::steady_clock::now();
  std::vector<GenerationResult> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] { result = model.chat(hello_request(), {}, {}); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result.text, "ab");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4 * 450ms);
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST(OllamaCapabilities, ReadFromApiShow) {
  ScriptedOllamaServer server;
  server.script("/api/show",
                streamed({json_line({{"capabilities", {"completion", "tools", "thinking"}}})}));
  OllamaChatModel model(settings_for(server.url()));
  EXPECT_TRUE(model.info().vision);  // assumed until the server says
  model.learn_capabilities({});
  const ChatModelInfo info = model.info();
  EXPECT_EQ(info.model, "llama3.1:8b");
  EXPECT_FALSE(info.vision);
  EXPECT_TRUE(info.tools);
  EXPECT_TRUE(info.thinking);
  ASSERT_TRUE(server.wait_for_requests(1));
  EXPECT_EQ(server.requests().front().body.at("model"), "llama3.1:8b");
}

TEST(OllamaCapabilities, AnUnknownModelIsTheServersError) {
  ScriptedOllamaServer server;
  server.script("/api/show", error_reply(404, "model 'llama3.1:8b' not found"));
  OllamaChatModel model(settings_for(server.url()));
  try {
    model.learn_capabilities({});
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "ollama at " + server.url() + ": model 'llama3.1:8b' not found (404)");
  }
  EXPECT_TRUE(model.info().tools);
}

}  // namespace
}  // namespace seer::ollama::test
