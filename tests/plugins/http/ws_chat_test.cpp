// /ws over real sockets: hello, chat streamed to done, concurrent sessions, cancel, look,
// subscriptions to agents' bus events, and bad input answered with error frames.
#include <gtest/gtest.h>

#include <seer/bus.hpp>

#include <boost/json/serialize.hpp>

#include <thread>

#include "http_test_support.hpp"
#include "test_assets.hpp"
#include "ws_test_agent.hpp"
#include "ws_test_client.hpp"

namespace seer::http::test {
namespace {

namespace json = boost::json;

class WsChat : public ::testing::Test {
 protected:
  void SetUp() override {
    world.registry().add<Agent>("sophia", sophia, "test");
    world.registry().add<Agent>("luna", luna, "test");
  }
  WsTestClient connect() { return WsTestClient(world.port()); }
  void publish(const std::string& topic, json::value payload) {
    world.runtime().bus().publish(topic, std::move(payload), "test");
  }

  HttpWorld world{"  http: {port: 0, workers: 2}\n"};
  std::shared_ptr<WsTestAgent> sophia = std::make_shared<WsTestAgent>("sophia");
  std::shared_ptr<WsTestAgent> luna = std::make_shared<WsTestAgent>("luna");
};

TEST_F(WsChat, HelloIsAnsweredWithWelcome) {
  auto client = connect();
  client.send({{"type", "hello"}});
  const json::value welcome = client.receive();
  EXPECT_EQ(welcome.at("type"), "welcome");
  EXPECT_EQ(welcome.at("protocol"), 1);
  EXPECT_TRUE(welcome.at("server").as_string().starts_with("seer "));
  EXPECT_TRUE(welcome.at("session").as_string().starts_with("ws-"));
  EXPECT_EQ(welcome.at("agent"), "sophia");
  EXPECT_EQ(welcome.at("agents"), (json::array{"sophia", "luna"}));
  EXPECT_EQ(welcome.at("max_message").to_number<std::int64_t>(), 16 << 20);

  // Another connection is another session.
  auto other = connect();
  other.send({{"type", "hello"}});
  EXPECT_NE(other.receive().at("session"), welcome.at("session"));
}

TEST_F(WsChat, ChatStreamsTokensThenDoneWithTimingsReportAndActions) {
  auto client = connect();
  client.send({{"type", "hello"}});
  const std::string session(client.receive().at("session").as_string());
  client.send({{"type", "chat"}, {"id", "c1"}, {"text", "Who is there?"}});
  const json::value first = client.receive();
  EXPECT_EQ(first, (json::value{{"type", "token"}, {"id", "c1"}, {"text", "I see "}}));
  EXPECT_EQ(client.receive().at("text"), "you.");
  const json::value done = client.receive();
  EXPECT_EQ(done.at("type"), "done");
  EXPECT_EQ(done.at("id"), "c1");
  EXPECT_EQ(done.at("text"), "I see you.");
  EXPECT_EQ(done.at("done_reason"), "stop");
  EXPECT_EQ(done.at("cancelled"), false);
  const json::value& timings = done.at("timings");
  EXPECT_GT(timings.at("total_ns").to_number<std::int64_t>(), 0);
  EXPECT_EQ(timings.at("prompt_ns").to_number<std::int64_t>(), 2000);
  EXPECT_EQ(timings.at("prompt_tokens").to_number<int>(), 5);
  EXPECT_EQ(timings.at("eval_ns").to_number<std::int64_t>(), 3000);
  EXPECT_EQ(timings.at("eval_tokens").to_number<int>(), 2);
  EXPECT_EQ(done.at("vision_report").at("people"), 1);
  EXPECT_EQ(done.at("actions").at(0).at("tool"), "set_light");

  const auto turns = sophia->turns();
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0].session, session);
  EXPECT_EQ(turns[0].text, "Who is there?");
  EXPECT_EQ(turns[0].max_new_tokens, 0);

  // The turn is counted in /metrics like an HTTP one.
  const std::string metrics = world.client().get("/metrics").body();
  EXPECT_NE(metrics.find("seer_tokens_generated_total{model=\"sophia\"} 2"), std::string::npos)
      << metrics;
}

TEST_F(WsChat, ChatWithoutHelloUsesTheFirstAgentAndTakesImagesAndOptions) {
  auto client = connect();
  client.send({{"type", "chat"},
               {"id", 7},
               {"text", "look"},
               {"images", {photo_base64()}},
               {"options", {{"num_predict", 12}}}});
  EXPECT_EQ(client.receive_until("done").at("id"), 7);
  const auto turns = sophia->turns();
  ASSERT_EQ(turns.size(), 1u);
  EXPECT_EQ(turns[0].images, 1u);
  EXPECT_EQ(turns[0].max_new_tokens, 12);
  EXPECT_TRUE(turns[0].session.starts_with("ws-"));
}

TEST_F(WsChat, HelloAndChatNameTheSessionAndTheAgent) {
  auto client = connect();
  client.send({{"type", "hello"}, {"agent", "luna"}, {"session", "game-1"}});
  const json::value welcome = client.receive();
  EXPECT_EQ(welcome.at("session"), "game-1");
  EXPECT_EQ(welcome.at("agent"), "luna");
  client.send({{"type", "chat"}, {"id", "a"}, {"text", "hi luna"}});
  client.receive_until("done", "a");
  client.send({{"type", "chat"}, {"id", "b"}, {"text", "hi sophia"}, {"agent", "sophia"}});
  client.receive_until("done", "b");
  ASSERT_EQ(luna->turns().size(), 1u);
  EXPECT_EQ(luna->turns()[0].session, "game-1");
  ASSERT_EQ(sophia->turns().size(), 1u);
  EXPECT_EQ(sophia->turns()[0].text, "hi sophia");

  client.send({{"type", "chat"}, {"id", "c"}, {"text", "hi"}, {"agent", "nobody"}});
  const json::value error = client.receive();
  EXPECT_EQ(error.at("type"), "error");
  EXPECT_EQ(error.at("id"), "c");
  EXPECT_EQ(error.at("code"), "unknown_agent");
}

TEST_F(WsChat, AHelloWithAnUnknownAgentCanBeSentAgain) {
  auto client = connect();
  client.send({{"type", "hello"}, {"agent", "nobody"}});
  EXPECT_EQ(client.receive().at("code"), "unknown_agent");
  client.send({{"type", "hello"}, {"agent", "luna"}});
  EXPECT_EQ(client.receive().at("agent"), "luna");
  client.send({{"type", "hello"}});
  EXPECT_EQ(client.receive().at("code"), "bad_message");  // one hello per connection
}

TEST_F(WsChat, ConcurrentSessionsKeepTheirOwnConversations) {
  sophia->pieces = {"one ", "two ", "three"};
  sophia->piece_delay = std::chrono::milliseconds(30);
  auto first = connect();
  auto second = connect();
  first.send({{"type", "hello"}});
  second.send({{"type", "hello"}});
  const std::string first_session(first.receive().at("session").as_string());
  const std::string second_session(second.receive().at("session").as_string());
  for (int round = 0; round < 2; ++round) {
    const std::string id = "r" + std::to_string(round);
    first.send({{"type", "chat"}, {"id", id}, {"text", "first " + id}});
    second.send({{"type", "chat"}, {"id", id}, {"text", "second " + id}});
    EXPECT_EQ(first.receive_until("done", json::value(id)).at("text"), "one two three");
    EXPECT_EQ(second.receive_until("done", json::value(id)).at("text"), "one two three");
  }
  std::map<std::string, std::vector<std::string>> by_session;
  for (const auto& turn : sophia->turns()) by_session[turn.session].push_back(turn.text);
  EXPECT_EQ(by_session[first_session], (std::vector<std::string>{"first r0", "first r1"}));
  EXPECT_EQ(by_session[second_session], (std::vector<std::string>{"second r0", "second r1"}));
}

TEST_F(WsChat, CancelInterruptsAReply) {
  sophia->pieces = std::vector<std::string>(50, "word ");
  sophia->piece_delay = std::chrono::milliseconds(50);
  auto client = connect();
  client.send({{"type", "chat"}, {"id", "long"}, {"text", "tell me a story"}});
  EXPECT_EQ(client.receive().at("type"), "token");
  client.send({{"type", "cancel"}, {"id", "long"}});
  const json::value done = client.receive_until("done", "long");
  EXPECT_EQ(done.at("cancelled"), true);
  EXPECT_EQ(done.at("done_reason"), "cancelled");
  EXPECT_LT(done.at("text").as_string().size(), 50u * 5);
  EXPECT_TRUE(sophia->cancelled());

  // The connection carries on.
  sophia->pieces = {"ok"};
  sophia->piece_delay = std::chrono::milliseconds(0);
  client.send({{"type", "chat"}, {"id", "next"}, {"text", "again"}});
  EXPECT_EQ(client.receive_until("done", "next").at("text"), "ok");
}

TEST_F(WsChat, ASecondChatWhileOneRunsIsBusy) {
  sophia->pieces = {"slow ", "reply"};
  sophia->piece_delay = std::chrono::milliseconds(200);
  auto client = connect();
  client.send({{"type", "chat"}, {"id", 1}, {"text", "first"}});
  client.send({{"type", "chat"}, {"id", 2}, {"text", "second"}});
  const json::value busy = client.receive_until("error");
  EXPECT_EQ(busy.at("id"), 2);
  EXPECT_EQ(busy.at("code"), "busy");
  EXPECT_EQ(client.receive_until("done").at("id"), 1);
}

TEST_F(WsChat, LookAnswersWithAVisionReport) {
  auto client = connect();
  client.send({{"type", "look"}, {"id", "l1"}, {"agent", "luna"}});
  const json::value report = client.receive();
  EXPECT_EQ(report.at("type"), "report");
  EXPECT_EQ(report.at("id"), "l1");
  EXPECT_EQ(report.at("agent"), "luna");
  EXPECT_EQ(report.at("report").at("people"), 2);
  EXPECT_EQ(luna->looks(), 1);
  EXPECT_EQ(sophia->looks(), 0);
}

TEST_F(WsChat, SubscribedEventsAreDeliveredFromTheBus) {
  auto client = connect();
  client.send({{"type", "subscribe"}, {"events", {"mood", "person"}}, {"agent", "sophia"}});
  const json::value subscribed = client.receive();
  EXPECT_EQ(subscribed.at("type"), "subscribed");
  EXPECT_EQ(subscribed.at("subscriptions").as_array().size(), 2u);
  client.send({{"type", "subscribe"}, {"events", {"trigger"}}});
  EXPECT_EQ(client.receive().at("subscriptions").as_array().size(), 3u);

  // Not subscribed: luna's mood, sophia's lights. Then what it asked for, in order.
  publish("agents/luna/mood", {{"mood", "sad"}});
  publish("agents/sophia/lights", {{"light", "desk"}});
  publish("agents/sophia/mood", {{"mood", "happy"}, {"previous", "neutral"}});
  const json::value mood = client.receive();
  EXPECT_EQ(mood.at("type"), "event");
  EXPECT_EQ(mood.at("event"), "mood");
  EXPECT_EQ(mood.at("agent"), "sophia");
  EXPECT_EQ(mood.at("data").at("mood"), "happy");
  EXPECT_TRUE(mood.at("time").as_string().ends_with("Z"));
  publish("agents/luna/trigger", {{"trigger", "doorbell"}});
  const json::value trigger = client.receive();
  EXPECT_EQ(trigger.at("event"), "trigger");
  EXPECT_EQ(trigger.at("agent"), "luna");

  client.send({{"type", "unsubscribe"}, {"events", {"mood"}}});
  EXPECT_EQ(client.receive().at("subscriptions").as_array().size(), 2u);
  publish("agents/sophia/mood", {{"mood", "calm"}});
  publish("agents/sophia/person", {{"present", true}, {"faces", 1}});
  const json::value person = client.receive();
  EXPECT_EQ(person.at("event"), "person");
  EXPECT_EQ(person.at("data").at("present"), true);
}

TEST_F(WsChat, BadInputIsAnsweredWithAnErrorAndTheConnectionLivesOn) {
  auto client = connect();
  const auto expect_error = [&](const std::string& text, const char* code) {
    client.send_text(text);
    const json::value error = client.receive();
    EXPECT_EQ(error.at("type"), "error") << text;
    EXPECT_EQ(error.at("code"), code) << text << " → " << json::serialize(error);
    EXPECT_FALSE(error.at("message").as_string().empty());
    return error;
  };
  expect_error("this is not JSON", "bad_json");
  expect_error("{\"type\": \"chat\", ", "bad_json");
  expect_error("[1, 2]", "bad_json");
  expect_error("{\"text\": \"no type\"}", "bad_message");
  expect_error(R"({"type": "dance", "id": "d"})", "unknown_type");
  expect_error(R"({"type": "chat", "id": 1})", "bad_message");
  expect_error(R"({"type": "chat", "id": {"x": 1}, "text": "hi"})", "bad_message");
  expect_error(R"({"type": "chat", "text": "no id"})", "bad_message");
  expect_error(R"({"type": "chat", "id": 2, "text": "hi", "options": {"temperature": "hot"}})",
               "bad_message");
  EXPECT_EQ(
      expect_error(R"({"type": "chat", "id": 3, "text": "hi", "images": ["***"]})", "bad_image")
          .at("id"),
      3);
  expect_error(R"({"type": "chat", "id": 4, "text": "hi", "images": ["aGVsbG8="]})", "bad_image");
  expect_error(R"({"type": "subscribe", "events": ["weather"]})", "unknown_event");
  expect_error(R"({"type": "subscribe"})", "bad_message");
  expect_error(R"({"type": "cancel", "id": "nothing"})", "unknown_id");
  expect_error(R"({"type": "hello"})", "bad_message");  // not the first message
  EXPECT_TRUE(sophia->turns().empty());

  client.send({{"type", "ping"}, {"id", 9}});
  EXPECT_EQ(client.receive(), (json::value{{"type", "pong"}, {"id", 9}}));
  client.send({{"type", "chat"}, {"id", "fine"}, {"text", "still there?"}});
  EXPECT_EQ(client.receive_until("done").at("text"), "I see you.");
}

TEST_F(WsChat, AnAgentFailingMidReplyEndsItWithAnErrorAndTheSessionLivesOn) {
  sophia->pieces = {"I ", "see ", "you."};
  sophia->throw_after = 2;
  auto client = connect();
  client.send({{"type", "hello"}});
  const json::value session = client.receive().at("session");
  client.send({{"type", "chat"}, {"id", "broken"}, {"text", "Who is there?"}});
  EXPECT_EQ(client.receive().at("text"), "I ");
  EXPECT_EQ(client.receive().at("text"), "see ");
  const json::value error = client.receive();
  EXPECT_EQ(error.at("type"), "error") << json::serialize(error);
  EXPECT_EQ(error.at("code"), "agent_error");
  EXPECT_EQ(error.at("id"), "broken");
  EXPECT_EQ(error.at("message"), "the model broke mid-reply");

  sophia->throw_after = -1;
  client.send({{"type", "chat"}, {"id", "next"}, {"text", "Still there?"}});
  EXPECT_EQ(client.receive_until("done").at("text"), "I see you.");
  const auto turns = sophia->turns();
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_EQ(turns[1].session, session.as_string()) << "the same session";
}

TEST(WsNoAgents, ChatIsUnknownAgent) {
  HttpWorld world;
  WsTestClient client(world.port());
  client.send({{"type", "hello"}});
  EXPECT_TRUE(client.receive().at("agent").is_null());
  client.send({{"type", "chat"}, {"id", 1}, {"text", "anyone?"}});
  EXPECT_EQ(client.receive().at("code"), "unknown_agent");
}

}  // namespace
}  // namespace seer::http::test
