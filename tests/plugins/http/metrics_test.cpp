// /metrics over real sockets: Prometheus' text format line by line, and the counts of requests,
// generated tokens, bus topics, camera frames, plugin health and vision-report stages.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "http_test_support.hpp"
#include "prometheus_text.hpp"

namespace seer::http::test {
namespace {

namespace beast_http = boost::beast::http;
namespace json = boost::json;

// `name{label="value",...} number`, as the text format 0.0.4 writes a sample.
const std::regex kSample(
    R"re([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? ([-+]?[0-9.eE+-]+|[+-]Inf|NaN))re");
const std::regex kComment(R"re(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)re");

std::string metrics(HttpTestClient& client) {
  const Response response = client.get("/metrics");
  EXPECT_EQ(response.result(), beast_http::status::ok);
  EXPECT_EQ(response[beast_http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  return response.body();
}

// The value of the sample written exactly as `series` (name and labels), or -1.
double sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(series + " ")) return std::stod(line.substr(series.size() + 1));
  }
  return -1;
}

class Metrics : public ::testing::Test {
 protected:
  void SetUp() override {
    world.registry().add<ChatModel>("scripted", model, "test");
    world.registry().add<Agent>("sophia", agent, "test");
  }
  HttpWorld world;
  std::shared_ptr<ScriptedChatModel> model = std::make_shared<ScriptedChatModel>();
  std::shared_ptr<ScriptedAgent> agent = std::make_shared<ScriptedAgent>();
  HttpTestClient client = world.client();
};

TEST_F(Metrics, EveryLineIsACommentOrASample) {
  world.runtime().bus().publish("seer/health/mqtt",
                                json::object{{"instance", "mqtt"}, {"state", "ready"}}, "runtime");
  client.get("/api/tags");
  client.get("/no/such/path");
  ASSERT_TRUE(eventually(
      [&] { return sample(metrics(client), R"(seer_plugin_up{instance="mqtt"})") == 1; }));
  const std::string text = metrics(client);
  std::istringstream lines(text);
  int samples = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || std::regex_match(line, kComment)) continue;
    EXPECT_TRUE(std::regex_match(line, kSample)) << line;
    ++samples;
  }
  EXPECT_GT(samples, 20);
  EXPECT_TRUE(text.ends_with("\n"));
}

TEST_F(Metrics, CountsRequestsByRouteMethodAndStatusWithDurations) {
  client.get("/api/tags");
  client.get("/api/tags");
  client.get("/no/such/path");
  client.get("/console/index.html");
  const std::string tags =
      R"(seer_http_requests_total{route="/api/tags",method="GET",status="200"})";
  ASSERT_TRUE(eventually([&] { return sample(metrics(client), tags) == 2; }));
  const std::string text = metrics(client);
  EXPECT_EQ(
      sample(text, R"(seer_http_requests_total{route="unmatched",method="GET",status="404"})"), 1);
  EXPECT_EQ(
      sample(text, R"(seer_http_requests_total{route="/console/",method="GET",status="200"})"), 1);
  EXPECT_EQ(sample(text, R"(seer_http_request_duration_seconds_count{route="/api/tags"})"), 2);
  EXPECT_EQ(
      sample(text, R"(seer_http_request_duration_seconds_bucket{route="/api/tags",le="+Inf"})"), 2);
  EXPECT_GE(sample(text, R"(seer_http_request_duration_seconds_sum{route="/api/tags"})"), 0);
  EXPECT_NE(text.find("# TYPE seer_http_request_duration_seconds histogram\n"), std::string::npos);
}

TEST_F(Metrics, CountsTheTokensAScriptedModelAndAnAgentGenerated) {
  const json::array hi{json::object{{"role", "user"}, {"content", "hi"}}};
  client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", hi}});
  client.post_json("/api/chat", {{"model", "scripted-7b"}, {"messages", hi}, {"stream", false}});
  client.post_json("/api/chat", {{"model", "sophia"}, {"messages", hi}});
  const std::string text = metrics(client);
  EXPECT_EQ(sample(text, R"(seer_tokens_generated_total{model="scripted-7b"})"), 8);
  EXPECT_EQ(sample(text, R"(seer_prompt_tokens_total{model="scripted-7b"})"), 14);
  EXPECT_EQ(sample(text, R"(seer_generations_total{model="scripted-7b"})"), 2);
  EXPECT_DOUBLE_EQ(sample(text, R"(seer_eval_seconds_total{model="scripted-7b"})"), 6e-6);
  EXPECT_DOUBLE_EQ(sample(text, R"(seer_prompt_eval_seconds_total{model="scripted-7b"})"), 4e-6);
  EXPECT_EQ(sample(text, R"(seer_tokens_generated_total{model="sophia"})"), 2);
  EXPECT_EQ(sample(text, R"(seer_prompt_tokens_total{model="sophia"})"), 3);
}

TEST_F(Metrics, ShowsBusTopicsHealthCamerasAndVisionStages) {
  world.runtime().bus().publish(
      "seer/health/mqtt",
      json::object{{"instance", "mqtt"}, {"state", "failed"}, {"reason", "no broker"}}, "runtime");
  world.runtime().bus().publish("agents/sophia/vision_report",
                                json::object{{"timings_ms", {{"faces", 30.0}, {"capture", 10.0}}}},
                                "agent:sophia");
  world.runtime().bus().publish("agents/sophia/vision_report",
                                json::object{{"timings_ms", {{"faces", 50.0}}}}, "agent:sophia");
  // The plugin keeps only the newest frame queued: it may handle one of these or both.
  Event frame;
  frame.topic = "camera/door/frame";
  frame.payload = json::object{{"width", 4}, {"height", 2}, {"sequence", 1}};
  world.runtime().bus().publish(frame);
  world.runtime().bus().publish(frame);
  const std::string faces = R"(seer_vision_stage_seconds_count{agent="sophia",stage="faces"})";
  ASSERT_TRUE(eventually([&] {
    const std::string text = metrics(client);
    return sample(text, faces) == 2 &&
           sample(text, R"(seer_camera_frames_total{camera="door"})") >= 1 &&
           sample(text, R"(seer_plugin_up{instance="mqtt"})") == 0;
  }));
  const std::string text = metrics(client);
  EXPECT_DOUBLE_EQ(sample(text, R"(seer_vision_stage_seconds_sum{agent="sophia",stage="faces"})"),
                   0.08);
  EXPECT_EQ(sample(text, R"(seer_vision_reports_total{agent="sophia"})"), 2);
  EXPECT_EQ(sample(text, R"(seer_plugin_state{instance="mqtt",state="failed"})"), 1);
  EXPECT_EQ(sample(text, R"(seer_plugin_state{instance="mqtt",state="ready"})"), 0);
  EXPECT_EQ(sample(text, R"(seer_bus_published_total{topic="camera/door/frame"})"), 2);
  EXPECT_EQ(sample(text, R"(seer_bus_published_total{topic="agents/sophia/vision_report"})"), 2);
  EXPECT_GE(sample(text, R"(seer_bus_delivered_total{topic="agents/sophia/vision_report"})"), 2);
  EXPECT_GE(sample(text, R"(seer_bus_dropped_total{topic="camera/door/frame"})"), 0);
  EXPECT_GE(sample(text, R"(seer_camera_fps{camera="door"})"), 0);
  EXPECT_GE(sample(text, "seer_bus_subscribers"), 3);
}

TEST(PrometheusText, EscapesLabelValuesAndWritesNumbers) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  PrometheusText out;
  out.family("x_total", "counter", "An example.");
  out.sample("x_total", {{"path", "C:\\dir \"q\"\n"}}, 3);
  out.sample("x_seconds", {}, 0.25);
  EXPECT_EQ(out.text(),
            "# HELP x_total An example.\n# TYPE x_total counter\n"
            "x_total{path=\"C:\\\\dir \\\"q\\\"\\n\"} 3\nx_seconds 0.25\n");
}

}  // namespace
}  // namespace seer::http::test
