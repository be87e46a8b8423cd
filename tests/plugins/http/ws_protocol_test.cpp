// The /ws protocol's parsing and frames, without sockets.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "ws_protocol.hpp"

namespace seer::http {
namespace {

namespace json = boost::json;

WsErrorCode code_of(const std::function<void()>& parse) {
  try {
    parse();
  } catch (const WsError& error) {
    return error.code();
  }
  ADD_FAILURE() << "no WsError";
  return WsErrorCode::internal;
}

TEST(WsProtocol, MessagesKeepTheirTypeBodyAndId) {
  const WsClientMessage message = parse_ws_message(R"({"type": "look", "id": 12, "agent": "x"})");
  EXPECT_EQ(message.type, "look");
  EXPECT_EQ(message.id, 12);
  const WsLook look = read_look(message);
  EXPECT_EQ(look.agent, "x");
  EXPECT_EQ(parse_ws_message(R"({"type": "ping"})").id, nullptr);
}

TEST(WsProtocol, MalformedMessagesNameTheirProblem) {
  EXPECT_EQ(code_of([] { parse_ws_message("{"); }), WsErrorCode::bad_json);
  EXPECT_EQ(code_of([] { parse_ws_message("\"hello\""); }), WsErrorCode::bad_json);
  EXPECT_EQ(code_of([] { parse_ws_message(R"({"type": 3})"); }), WsErrorCode::bad_message);
  EXPECT_EQ(code_of([] { parse_ws_message(R"({"type": "chat", "id": 1.5})"); }),
            WsErrorCode::bad_message);
  try {
    read_chat(parse_ws_message(R"({"type": "chat", "id": "q", "text": 5})"));
    ADD_FAILURE() << "a number was taken for text";
  } catch (const WsError& error) {
    EXPECT_EQ(error.id(), "q");  // the error frame can say which request failed
    EXPECT_STREQ(error.what(), "chat: text must be a string");
  }
}

TEST(WsProtocol, ChatReadsAgentAndOllamaOptions) {
  const WsChat chat = read_chat(parse_ws_message(
      R"({"type": "chat", "id": "a", "text": "hi", "agent": "luna",
          "options": {"temperature": 0.5, "num_predict": 20}})"));
  EXPECT_EQ(chat.text, "hi");
  EXPECT_EQ(chat.agent, "luna");
  ASSERT_TRUE(chat.options.has_value());
  EXPECT_FLOAT_EQ(chat.options->temperature, 0.5f);
  EXPECT_EQ(chat.options->max_new_tokens, 20);
  EXPECT_FALSE(
      read_chat(parse_ws_message(R"({"type": "chat", "id": 1, "text": ""})")).options.has_value());
}

TEST(WsProtocol, SubscriptionsTakeKnownEventsOnly) {
  const WsSubscription subscription = read_subscription(
      parse_ws_message(R"({"type": "subscribe", "events": ["mood", "lights"]})"), true);
  EXPECT_EQ(subscription.events, (std::vector<std::string>{"mood", "lights"}));
  EXPECT_TRUE(subscription.agent.empty());
  EXPECT_EQ(code_of([] {
              read_subscription(parse_ws_message(R"({"type": "subscribe", "events": []})"), true);
            }),
            WsErrorCode::bad_message);
  EXPECT_EQ(code_of([] {
              read_subscription(
                  parse_ws_message(R"({"type": "subscribe", "events": ["mood", "rain"]})"), true);
            }),
            WsErrorCode::unknown_event);
  EXPECT_TRUE(
      read_subscription(parse_ws_message(R"({"type": "unsubscribe"})"), false).events.empty());
}

TEST(WsProtocol, FramesAreJsonWithTheirType) {
  EXPECT_EQ(json::parse(token_frame("x", "hé")),
            (json::value{{"type", "token"}, {"id", "x"}, {"text", "hé"}}));
  EXPECT_EQ(json::parse(error_frame(nullptr, WsErrorCode::bad_json, "no")),
            (json::value{{"type", "error"}, {"code", "bad_json"}, {"message", "no"}}));
  const json::value cancelled = json::parse(cancelled_frame(4));
  EXPECT_EQ(cancelled.at("cancelled"), true);
  EXPECT_EQ(cancelled.at("done_reason"), "cancelled");
  EXPECT_EQ(cancelled.at("text"), "");
  EXPECT_EQ(json::parse(pong_frame(nullptr)), (json::value{{"type", "pong"}}));
  const json::value subscribed =
      json::parse(subscribed_frame({{"mood", ""}, {"trigger", "sophia"}}));
  EXPECT_EQ(subscribed.at("subscriptions").at(0).at("agent"), nullptr);
  EXPECT_EQ(subscribed.at("subscriptions").at(1).at("agent"), "sophia");
}

}  // namespace
}  // namespace seer::http
