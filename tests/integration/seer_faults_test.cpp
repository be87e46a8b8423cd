// Fault injection with the real `seer run`: SIGTERM in the middle of streamed answers, a chat
// model failing mid-stream, a plugin that hangs in start(), a configuration whose only plugin
// fails. Each clients' view is checked over
// real sockets (NDJSON, SSE, WebSocket).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/system/system_error.hpp>

#include <csignal>

#include "http_test_client.hpp"
#include "raw_http_stream.hpp"
#include "seer_process.hpp"
#include "ws_test_client.hpp"

namespace seer::test {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using http::test::HttpTestClient;
using http::test::WsTestClient;

// The http plugin, a scripted chat model and an agent that talks through it.
std::string chat_config(const std::string& scripted_keys) {
  return "seer:\n  shutdown_deadline: 5s\n"
         "plugins:\n"
         "  http: {port: 0, workers: 4}\n"
         "  scripted: {plugin: scripted-chat" +
         scripted_keys +
         "}\n"
         "agents:\n"
         "  - name: talker\n"
         "    llm: {backend: scripted}\n"
         "    vision: {enabled: false}\n"
         "    home_assistant: false\n";
}

std::string user_says(const std::string& text, bool stream, bool openai = false) {
  json::object body{{"model", "scripted"},
                    {"messages", json::array{json::object{{"role", "user"}, {"content", text}}}},
                    {"stream", stream}};
  if (!openai) body["options"] = json::object{{"num_predict", 10000}};
  return json::serialize(body);
}

std::string many_words(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "word ";
  return text;
}

TEST(SeerFaults, SigtermMidAnswerEndsEveryStreamAndSeerExitsZero) {
  SeerProcess seer(chat_config(", word_delay_ms: 50"));
  ASSERT_TRUE(seer.wait_until_up()) << seer.log();
  const std::uint16_t port = seer.http_port();

  // Three answers of 300 words at 50 ms a word (15 s), each seen to have begun.
  RawHttpStream ollama(port, "/api/chat", user_says(many_words(300), true));
  ASSERT_TRUE(ollama.read_until("said:", 10s)) << ollama.received();
  RawHttpStream openai(port, "/v1/chat/completions", user_says(many_words(300), true, true));
  ASSERT_TRUE(openai.read_until("said:", 10s)) << openai.received();
  WsTestClient ws(port);
  ws.send({{"type", "hello"}, {"agent", "talker"}});
  ASSERT_EQ(ws.receive().at("type"), "welcome");
  ws.send({{"type", "chat"}, {"id", "long"}, {"text", many_words(300)}});
  ASSERT_EQ(ws.receive().at("type"), "token");

  const auto signalled = std::chrono::steady_clock::now();
  seer.process().signal(SIGTERM);
  EXPECT_TRUE(ollama.read_until_closed(5s)) << "the NDJSON stream did not end";
  EXPECT_TRUE(openai.read_until_closed(5s)) << "the SSE stream did not end";
  std::string ws_end = "open";
  try {
    for (int frames = 0; frames < 1000; ++frames) {
      const json::value frame = ws.receive();
      if (frame.at("type") != "token") {
        ws_end = json::serialize(frame);
        break;
      }
    }
  } catch (const boost::system::system_error&) {
    ws_end = "closed";  // without a final frame: the client sees the connection end
  }
  EXPECT_NE(ws_end, "open") << "the WebSocket answer did not end";
  const auto code = seer.process().wait(6s);
  const auto took = std::chrono::steady_clock::now() - signalled;
  ASSERT_TRUE(code.has_value()) << "seer did not stop within its 5 s deadline\n" << seer.log();
  EXPECT_EQ(*code, 0) << seer.log();
  EXPECT_THAT(seer.log(), HasSubstr("stopped cleanly"));
  EXPECT_LT(took, 5s);
  std::cout << "[          ] stopped "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms after SIGTERM; the WebSocket ended with: " << ws_end << "\n";
}

TEST(SeerFaults, AModelFailingMidStreamGivesEachClientAnErrorAndTheNextRequestWorks) {
  SeerProcess seer(chat_config(", fail_marker: '[fail]', fail_after_words: 2"));
  ASSERT_TRUE(seer.wait_until_up()) << seer.log();
  const std::uint16_t port = seer.http_port();
  const std::string failure = "scripted: the model failed after 2 words";

  HttpTestClient client(port);
  const auto ollama = client.post("/api/chat", user_says("[fail] hello there", true));
  EXPECT_EQ(ollama.result_int(), 200);
  const auto lines = http::test::ndjson_lines(ollama.body());
  ASSERT_EQ(lines.size(), 3u) << ollama.body();
  EXPECT_EQ(lines[0].at("message").at("content"), "You");
  EXPECT_EQ(lines[2].at("error").as_string(), failure);
  const auto next = client.post("/api/chat", user_says("hello", false));
  EXPECT_EQ(next.result_int(), 200) << "the same connection serves the next request";
  EXPECT_EQ(http::test::json_body(next).at("message").at("content"), "You said: hello (0 images)");

  const auto openai = client.post("/v1/chat/completions", user_says("[fail] hi", true, true));
  EXPECT_EQ(openai.result_int(), 200);
  EXPECT_THAT(openai.body(), HasSubstr(failure));
  EXPECT_EQ(client.post("/v1/chat/completions", user_says("hi", true, true)).result_int(), 200);

  WsTestClient ws(port);
  ws.send({{"type", "hello"}, {"agent", "talker"}});
  ASSERT_EQ(ws.receive().at("type"), "welcome");
  ws.send({{"type", "chat"}, {"id", "broken"}, {"text", "[fail] hi"}});
  const json::value error = ws.receive_until("error");
  EXPECT_EQ(error.at("id"), "broken");
  EXPECT_THAT(std::string(error.at("message").as_string()), HasSubstr(failure));
  ws.send({{"type", "chat"}, {"id", "fine"}, {"text", "hi"}});
  EXPECT_THAT(std::string(ws.receive_until("done").at("text").as_string()), HasSubstr("You said:"));

  seer.process().signal(SIGTERM);
  EXPECT_EQ(seer.process().wait(6s), 0) << seer.log();
}

TEST(SeerFaults, APluginHangingInStartIsFailedAtItsTimeoutAndSeerServesWithoutIt) {
  SeerProcess seer(
      "seer:\n  shutdown_deadline: 1s\n"
      "plugins:\n"
      "  http: {port: 0}\n"
      "  stuck: {plugin: hangs-on-start, start_delay: 600s, start_timeout: 300ms}\n");
  const auto begin = std::chrono::steady_clock::now();
  ASSERT_TRUE(seer.wait_until_up()) << seer.log();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
  EXPECT_THAT(seer.log(), HasSubstr("stuck: failed — start did not return within its "
                                    "start_timeout of 300 ms"));

  HttpTestClient client(seer.http_port());
  const json::value status = http::test::json_body(client.get("/api/seer/status"));
  bool seen = false;
  for (const json::value& plugin : status.at("plugins").as_array()) {
    if (plugin.at("instance") != "stuck") continue;
    seen = true;
    EXPECT_EQ(plugin.at("state"), "failed");
    EXPECT_THAT(std::string(plugin.at("reason").as_string()), HasSubstr("start_timeout"));
  }
  EXPECT_TRUE(seen) << json::serialize(status);

  // The hung start() is still running at shutdown: seer says so and leaves at its deadline.
  seer.process().signal(SIGTERM);
  const auto code = seer.process().wait(5s);
  ASSERT_TRUE(code.has_value()) << seer.log();
  EXPECT_EQ(*code, 1);
  EXPECT_THAT(seer.log(), HasSubstr("'stuck' is still in start()"));
}

TEST(SeerFaults, WhenNoPluginIsRunningSeerSaysSoAndExitsOne) {
  // The only plugin fails in start(), as one whose port is taken or whose camera is missing.
  SeerProcess seer("plugins:\n  camera: {plugin: throws-on-start}\n");
  const auto code = seer.process().wait(10s);
  ASSERT_TRUE(code.has_value()) << "seer kept serving nothing\n" << seer.log();
  EXPECT_EQ(*code, 1) << seer.log();
  EXPECT_THAT(seer.log(), HasSubstr("camera: failed — start failed: camera /dev/video9 does not "
                                    "exist"));
  EXPECT_THAT(seer.log(), HasSubstr("no plugin is running (1 failed); stopping"));
}

}  // namespace
}  // namespace seer::test
