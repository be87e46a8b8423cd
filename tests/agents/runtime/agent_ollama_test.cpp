// The `ollama` chat backend in an agent's turns, against an Ollama-compatible server started
// by the test: streaming, a tool call the agent executes, and a failure in mid-stream that the
// session survives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "agent_test_support.hpp"
#include "event_collector.hpp"
#include "scripted_ollama_server.hpp"

namespace seer::agents::test {
namespace {

using seer::ollama::test::content_line;
using seer::ollama::test::final_line;
using seer::ollama::test::json_line;
using seer::ollama::test::ScriptedOllamaServer;
using seer::ollama::test::streamed;
using ::testing::HasSubstr;

std::string world(const ScriptedOllamaServer& server) {
  return "seer: {log: {level: error}}\nplugins:\n  ollama:\n    url: " + server.url() +
         "\n    model: llama3.2\nagents:\n"
         "  - name: sophia\n"
         "    persona: You are Sophia.\n"
         "    llm: {backend: ollama, options: {temperature: 0.5}}\n"
         "    vision: {enabled: false}\n"
         "    tools:\n"
         "      lights:\n"
         "        - {name: desk lamp, dialect: zigbee2mqtt, topic: zigbee2mqtt/desk_lamp}\n";
}

boost::json::object tool_call_chunk() {
  return {{"model", "llama3.2"},
          {"message",
           {{"role", "assistant"},
            {"content", ""},
            {"tool_calls",
             boost::json::array{{{"function",
                                  {{"name", "set_light"},
                                   {"arguments", {{"light", "desk lamp"}, {"state", "off"}}}}}}}}}},
          {"done", false}};
}

TEST(AgentOllama, StreamsRunsTheToolTheModelCallsAndSurvivesAFailureInMidStream) {
  ScriptedOllamaServer server;
  server.script(
      "/api/show",
      streamed({json_line({{"capabilities", boost::json::array{"completion", "tools"}}})}));
  server.script("/api/chat", streamed({json_line(tool_call_chunk()), final_line()}));
  server.script("/api/chat",
                streamed({content_line("Good"), content_line(" night."), final_line()}));
  server.script("/api/chat", streamed({content_line("Let me"),
                                       json_line({{"error", "model runner has crashed"}})}));
  server.script("/api/chat", streamed({content_line("I am back."), final_line()}));
  AgentWorld world_(world(server));
  seer::test::EventCollector commands;
  auto subscription = world_.bus().subscribe("mqtt/out/#", commands.handler());
  RunningAgent& sophia = world_.agent("sophia");

  std::vector<std::string> pieces;
  const auto collect = [&pieces](std::string_view piece) {
    pieces.emplace_back(piece);
    return true;
  };
  const AgentReply reply = sophia.say({.session = "s", .text = "It is bedtime."}, collect, {});
  EXPECT_EQ(reply.result.text, "Good night.");
  EXPECT_EQ(pieces, (std::vector<std::string>{"Good", " night."}));
  ASSERT_EQ(reply.actions.size(), 1u);
  EXPECT_EQ(reply.actions[0].tool, "set_light");
  ASSERT_TRUE(commands.wait_for(1));
  EXPECT_EQ(commands.events()[0]->topic, "mqtt/out/zigbee2mqtt/desk_lamp/set");
  EXPECT_EQ(commands.events()[0]->payload.at("payload"), R"({"state":"OFF"})");

  std::vector<boost::json::object> chats;
  for (const auto& request : server.requests()) {
    if (request.target == "/api/chat") chats.push_back(request.body.as_object());
  }
  ASSERT_EQ(chats.size(), 2u);
  EXPECT_EQ(chats[0].at("model"), "llama3.2");
  EXPECT_EQ(chats[0].at("tools").as_array()[0].at("function").at("name"), "set_light");
  EXPECT_DOUBLE_EQ(chats[0].at("options").at("temperature").as_double(), 0.5);
  const auto& messages = chats[1].at("messages").as_array();
  EXPECT_EQ(messages.back().at("role"), "tool");
  EXPECT_EQ(messages.back().at("tool_name"), "set_light");
  EXPECT_EQ(messages[messages.size() - 2].at("tool_calls").as_array().size(), 1u);

  pieces.clear();
  try {
    sophia.say({.session = "s", .text = "Tell me a story."}, collect, {});
    ADD_FAILURE() << "the failure in mid-stream was not reported";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("model runner has crashed"));
  }
  EXPECT_EQ(pieces, (std::vector<std::string>{"Let me"}));

  const AgentReply after = sophia.say({.session = "s", .text = "Are you there?"}, {}, {});
  EXPECT_EQ(after.result.text, "I am back.");
  const auto last = server.requests().back().body.at("messages").as_array();
  std::vector<std::string> users;
  for (const auto& message : last) {
    if (message.at("role") == "user") users.emplace_back(message.at("content").as_string());
  }
  EXPECT_EQ(users, (std::vector<std::string>{"It is bedtime.", "Are you there?"}))
      << "the failed turn is not remembered";
}

}  // namespace
}  // namespace seer::agents::test
