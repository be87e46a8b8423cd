// One agent's turns over the real camera and faces plugins, with a scripted chat model:
// when she looks, what her prompt holds, her memory, her tools and her light intents.
#include <seer/agents/observation.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <set>
#include <thread>

#include "agent_test_support.hpp"
#include "event_collector.hpp"

namespace seer::agents::test {
namespace {

using seer::test::EventCollector;
using ::testing::HasSubstr;

std::string world(const std::string& agent_extra = {}) {
  return "seer: {log: {level: error}}\nplugins:\n" + camera_and_faces_yaml() +
         "agents:\n"
         "  - name: sophia\n"
         "    persona: You are Sophia.\n"
         "    llm: {backend: scripted, options: {num_predict: 32}}\n"
         "    vision: {services: {camera: webcam}, freshness: 30s}\n"
         "    triggers:\n"
         "      - {phrases: [look at me, how do I look], action: look}\n"
         "    tools:\n"
         "      lights:\n"
         "        - {name: desk lamp, aliases: [lamp], dialect: zigbee2mqtt, "
         "topic: zigbee2mqtt/desk_lamp}\n" +
         agent_extra;
}

class AgentTurn_ : public ::testing::Test {
 protected:
  std::shared_ptr<ScriptedChatModel> model = std::make_shared<ScriptedChatModel>();
};

TEST_F(AgentTurn_, LookAtMeTakesAReportAndEveryLaterPromptHoldsItExactlyOnce) {
  AgentWorld world_(world(), {{"scripted", model}});
  EventCollector reports;
  const auto subscription =
      world_.bus().subscribe("agents/sophia/vision_report", reports.handler());
  RunningAgent& sophia = world_.agent("sophia");

  std::string streamed;
  const AgentReply first = sophia.say({.session = "game", .text = "Sophia, LOOK at me!"},
                                      [&](std::string_view piece) {
                                        streamed += piece;
                                        return true;
                                      },
                                      {});
  EXPECT_EQ(streamed, "ok.");
  ASSERT_TRUE(first.vision_report.is_object());
  EXPECT_EQ(first.vision_report.at("faces").as_array().size(), 1u);
  ASSERT_TRUE(reports.wait_for(1));
  EXPECT_EQ(reports.events()[0]->payload.at("agent"), "sophia");

  for (const char* text : {"what do you think?", "tell me more", "and now?", "bye"}) {
    sophia.say({.session = "game", .text = text}, {}, {});
  }
  const auto requests = model->requests();
  ASSERT_EQ(requests.size(), 5u);
  for (const ChatRequest& request : requests) {
    EXPECT_EQ(observation_blocks(request), 1);
    EXPECT_EQ(request.messages.front().content, "You are Sophia.");
    EXPECT_EQ(request.options.max_new_tokens, 32);
  }
  const ChatRequest& last = requests.back();
  EXPECT_EQ(last.messages.size(), 1 + 8 + 1 + 1u) << "persona, 4 exchanges, observation, user";
  EXPECT_THAT(last.messages[9].content, HasSubstr("One person is in view"));
  EXPECT_THAT(last.messages[9].content, HasSubstr("from camera"));
  EXPECT_EQ(last.messages.back().content, "bye");
  EXPECT_EQ(reports.size(), 1u) << "plain turns do not look again";
}

TEST_F(AgentTurn_, ALookWithinTheFreshnessReusesTheReportAndAStaleOneIsTakenAgain) {
  AgentWorld fresh(world(), {{"scripted", model}});
  EventCollector reports;
  auto subscription = fresh.bus().subscribe("agents/sophia/vision_report", reports.handler());
  fresh.agent("sophia").say({.session = "s", .text = "look at me"}, {}, {});
  fresh.agent("sophia").say({.session = "s", .text = "how do I look"}, {}, {});
  ASSERT_TRUE(reports.wait_for(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(reports.size(), 1u);
}

TEST_F(AgentTurn_, AStaleReportIsTakenAgainWhenATriggerLooks) {
  std::string document = world();
  document.replace(document.find("freshness: 30s"), 14, "freshness: 0s");
  AgentWorld stale(document, {{"scripted", model}});
  EventCollector reports;
  auto subscription = stale.bus().subscribe("agents/sophia/vision_report", reports.handler());
  stale.agent("sophia").say({.session = "s", .text = "look at me"}, {}, {});
  stale.agent("sophia").say({.session = "s", .text = "how do I look"}, {}, {});
  EXPECT_TRUE(reports.wait_for(2));
}

TEST_F(AgentTurn_, ALightPhraseSwitchesTheLightWithoutTheModelAndTellsTheModelItIsDone) {
  AgentWorld world_(world(), {{"scripted", model}});
  EventCollector commands;
  auto subscription = world_.bus().subscribe("mqtt/out/#", commands.handler());
  const AgentReply reply = world_.agent("sophia").say(
      {.session = "s", .text = "Turn the desk lamp red, please"}, {}, {});
  ASSERT_TRUE(commands.wait_for(1));
  EXPECT_EQ(commands.events()[0]->topic, "mqtt/out/zigbee2mqtt/desk_lamp/set");
  ASSERT_EQ(reply.actions.size(), 1u);
  EXPECT_EQ(reply.actions[0].tool, "set_light");
  const ChatRequest request = model->requests().back();
  EXPECT_THAT(request.messages[request.messages.size() - 2].content,
              HasSubstr("You have just done this with the lights"));
  EXPECT_EQ(observation_blocks(request), 0) << "nothing was seen yet";
}

TEST_F(AgentTurn_, AToolCallIsRunAndItsResultGoesBackToTheModel) {
  AgentWorld world_(world(), {{"scripted", model}});
  EventCollector commands;
  auto subscription = world_.bus().subscribe("mqtt/out/#", commands.handler());
  model->push({.text = "",
               .tool_calls = {{.name = "set_light",
                               .arguments = {{"light", "desk lamp"}, {"state", "off"}}}}});
  model->push({.text = "Done, it is dark now.", .done_reason = "stop"});
  const AgentReply reply =
      world_.agent("sophia").say({.session = "s", .text = "I want to sleep"}, {}, {});
  EXPECT_EQ(reply.result.text, "Done, it is dark now.");
  EXPECT_EQ(reply.result.prompt_tokens, 20) << "both rounds counted";
  ASSERT_EQ(reply.actions.size(), 1u);
  EXPECT_FALSE(reply.actions[0].result.as_object().contains("error"))
      << boost::json::serialize(reply.actions[0].result);
  ASSERT_TRUE(commands.wait_for(1));
  EXPECT_EQ(commands.events()[0]->topic, "mqtt/out/zigbee2mqtt/desk_lamp/set");

  const auto requests = model->requests();
  ASSERT_EQ(requests.size(), 2u);
  ASSERT_FALSE(requests[0].tools.empty());
  EXPECT_EQ(requests[0].tools[0].name, "set_light");
  const auto& messages = requests[1].messages;
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages[messages.size() - 2].role, "assistant");
  EXPECT_EQ(messages[messages.size() - 2].tool_calls.size(), 1u);
  EXPECT_EQ(messages.back().role, "tool");
  EXPECT_EQ(messages.back().tool_name, "set_light");
}

TEST_F(AgentTurn_, ABadToolCallComesBackToTheModelAsAnErrorAndActuatesNothing) {
  AgentWorld world_(world(), {{"scripted", model}});
  EventCollector commands;
  auto subscription = world_.bus().subscribe("mqtt/out/#", commands.handler());
  model->push({.tool_calls = {{.name = "set_light",
                               .arguments = {{"light", "desk lamp"}, {"brightness", 140}}}}});
  model->push({.tool_calls = {{.name = "open_door", .arguments = {}}}});
  model->push({.text = "Sorry.", .done_reason = "stop"});
  const AgentReply reply =
      world_.agent("sophia").say({.session = "s", .text = "brighter!"}, {}, {});
  ASSERT_EQ(reply.actions.size(), 2u);
  EXPECT_THAT(boost::json::serialize(reply.actions[0].result), HasSubstr("140"));
  EXPECT_THAT(boost::json::serialize(reply.actions[1].result),
              HasSubstr("there is no tool 'open_door'"));
  EXPECT_THAT(model->requests()[1].messages.back().content, HasSubstr("error"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(commands.size(), 0u);
}

TEST_F(AgentTurn_, TheModelMayLookItselfAndTheObservationIsReplacedNotAdded) {
  AgentWorld world_(world(), {{"scripted", model}});
  model->push({.tool_calls = {{.name = "look", .arguments = {}}}});
  model->push({.text = "You look focused.", .done_reason = "stop"});
  const AgentReply reply =
      world_.agent("sophia").say({.session = "s", .text = "what am I doing?"}, {}, {});
  EXPECT_TRUE(reply.vision_report.is_object());
  const auto requests = model->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(observation_blocks(requests[0]), 0);
  // The block, plus the look tool's own result quoting it.
  EXPECT_EQ(observation_blocks(requests[1]), 2);
  world_.agent("sophia").say({.session = "s", .text = "thanks"}, {}, {});
  EXPECT_EQ(observation_blocks(model->requests().back()), 1) << "tool results are not remembered";
}

TEST_F(AgentTurn_, ConcurrentSessionsKeepTheirOwnConversations) {
  AgentWorld world_(world(), {{"scripted", model}});
  RunningAgent& sophia = world_.agent("sophia");
  std::vector<std::jthread> players;
  for (int player = 0; player < 8; ++player) {
    players.emplace_back([&sophia, player] {
      for (int turn = 0; turn < 3; ++turn) {
        sophia.say({.session = "player" + std::to_string(player),
                    .text = "player " + std::to_string(player) + " turn " + std::to_string(turn)},
                   {}, {});
      }
    });
  }
  players.clear();
  const auto requests = model->requests();
  ASSERT_EQ(requests.size(), 24u);
  for (const ChatRequest& request : requests) {
    const std::string said = request.messages.back().content;
    const std::string player = said.substr(0, said.find(" turn"));
    for (const ChatMessage& message : request.messages) {
      if (message.role == "user") {
        EXPECT_THAT(message.content, HasSubstr(player + " turn"));
      }
    }
  }
}

TEST_F(AgentTurn_, TurnsOfOneSessionRunOneAfterAnother) {
  AgentWorld world_(world(), {{"scripted", model}});
  RunningAgent& sophia = world_.agent("sophia");
  {
    std::vector<std::jthread> tabs;
    for (int tab = 0; tab < 4; ++tab) {
      tabs.emplace_back([&sophia, tab] {
        sophia.say({.session = "same", .text = "from tab " + std::to_string(tab)}, {}, {});
      });
    }
  }
  std::multiset<std::size_t> sizes;
  for (const ChatRequest& request : model->requests()) sizes.insert(request.messages.size());
  // Persona and user, plus every exchange before it: 0, 1, 2 and 3 of them.
  EXPECT_EQ(sizes, (std::multiset<std::size_t>{2, 4, 6, 8}));
}

TEST_F(AgentTurn_, AnAgentWithoutAChatModelCannotChatButCanStillLook) {
  AgentWorld world_("seer: {log: {level: error}}\nplugins:\n" + camera_and_faces_yaml() +
                    "agents:\n  - {name: watcher, vision: {services: {camera: webcam}}}\n");
  RunningAgent& watcher = world_.agent("watcher");
  EXPECT_THROW(watcher.say({.session = "s", .text = "hi"}, {}, {}), std::runtime_error);
  const auto report = watcher.look({});
  EXPECT_EQ(report.at("faces").as_array().size(), 1u);
}

}  // namespace
}  // namespace seer::agents::test
