// When things go wrong: error statuses, errors and drops mid-stream, timeouts, cancellation,
// no server at all. Each failure is a std::runtime_error saying what happened and how far the
// reply got; what was streamed before stays delivered.

#include "ollama_chat_model.hpp"
#include "ollama_test_support.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <stop_token>
#include <thread>

namespace seer::ollama::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The message of the runtime_error that `chat` throws.
std::string failure_of(OllamaChatModel& model, PieceCollector& collector,
                       const ChatRequest& request = hello_request()) {
  try {
    model.chat(request, collector.callback(), {});
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "no error";
}

TEST(OllamaFailure, AnErrorStatusBeforeStreamingCarriesTheServersMessage) {
  ScriptedOllamaServer server;
  server.script("/api/chat", error_reply(500, "llama runner process has terminated"));
  server.script("/api/chat", error_reply(404, "model 'llama3.1:8b' not found"));
  OllamaChatModel model(settings_for(server.url()));
  PieceCollector collector;
  EXPECT_EQ(failure_of(model, collector),
            "ollama at " + server.url() + ": llama runner process has terminated (500)");
  EXPECT_EQ(failure_of(model, collector),
            "ollama at " + server.url() + ": model 'llama3.1:8b' not found (404)");
  EXPECT_TRUE(collector.pieces.empty());
}

TEST(OllamaFailure, AnErrorLineMidStreamKeepsWhatWasStreamed) {
  ScriptedOllamaServer server;
  ScriptedReply reply = streamed({content_line("Once"), content_line(" upon"),
                                  json_line({{"error",
                                              "an error was encountered while running "
                                              "the model: CUDA error"}})},
                                 5ms);
  reply.ending = ScriptedReply::Ending::drop;
  server.script("/api/chat", reply);
  OllamaChatModel model(settings_for(server.url()));
  PieceCollector collector;
  EXPECT_EQ(failure_of(model, collector),
            "ollama at " + server.url() +
                ": an error was encountered while running the model: CUDA error after "
                "streaming 9 bytes of the reply");
  EXPECT_EQ(collector.pieces, (std::vector<std::string>{"Once", " upon"}));
}

TEST(OllamaFailure, AConnectionDroppedBeforeTheFinalChunk) {
  ScriptedOllamaServer server;
  ScriptedReply reply = streamed({content_line("Once")});
  reply.ending = ScriptedReply::Ending::drop;
  server.script("/api/chat", reply);
  OllamaChatModel model(settings_for(server.url()));
  PieceCollector collector;
  const std::string message = failure_of(model, collector);
  EXPECT_NE(message.find("closed the connection before the reply was complete after streaming 4 "
                         "bytes"),
            std::string::npos)
      << message;
  EXPECT_EQ(collector.pieces, (std::vector<std::string>{"Once"}));
}

TEST(OllamaFailure, AStreamThatEndsWithoutItsFinalChunk) {
  ScriptedOllamaServer server;
  server.script("/api/chat", streamed({content_line("Once")}));
  OllamaChatModel model(settings_for(server.url()));
  PieceCollector collector;
  EXPECT_EQ(failure_of(model, collector),
            "ollama at " + server.url() +
                ": the reply ended without its final chunk after streaming 4 bytes of the reply");
}

TEST(OllamaFailure, AMalformedLine) {
  ScriptedOllamaServer server;
  server.script("/api/chat", streamed({content_line("Once"), "{\"message\": {\"content\"\n"}));
  OllamaChatModel model(settings_for(server.url()));
  PieceCollector collector;
  const std::string message = failure_of(model, collector);
  EXPECT_NE(message.find("a reply line is not a JSON object: {\"message\""), std::string::npos)
      << message;
}

TEST(OllamaFailure, LoadTimeoutWhenTheFirstChunkDoesNotCome) {
  ScriptedOllamaServer server;
  server.script("/api/chat", streamed({content_line("late"), final_line()}, 3s));
  OllamaSettings settings = settings_for(server.url());
  settings.load_timeout = 300ms;
  OllamaChatModel model(settings);
  PieceCollector collector;
  const auto start = Clock::now();
  EXPECT_EQ(failure_of(model, collector),
            "ollama at " + server.url() +
                ": no reply from model 'llama3.1:8b' within load_timeout (300ms); it may still "
                "be loading: raise load_timeout");
  EXPECT_LT(Clock::now() - start, 2s);
}

TEST(OllamaFailure, LoadTimeoutWhenTheServerNeverAnswers) {
  ScriptedOllamaServer server;
  ScriptedReply silent;
  silent.silent = true;
  server.script("/api/chat", silent);
  OllamaSettings settings = settings_for(server.url());
  settings.load_timeout = 200ms;
  OllamaChatModel model(settings);
  PieceCollector collector;
  EXPECT_NE(failure_of(model, collector).find("within load_timeout (200ms)"), std::string::npos);
}

TEST(OllamaFailure, ReadTimeoutWhenTheStreamStalls) {
  ScriptedOllamaServer server;
  ScriptedReply reply = streamed({content_line("Once"), content_line(" upon")});
  reply.ending = ScriptedReply::Ending::hang;
  server.script("/api/chat", reply);
  OllamaSettings settings = settings_for(server.url());
  settings.read_timeout = 250ms;
  OllamaChatModel model(settings);
  PieceCollector collector;
  const auto start = Clock::now();
  EXPECT_EQ(failure_of(model, collector),
            "ollama at " + server.url() +
                ": the reply stalled for longer than read_timeout (250ms) after streaming 9 "
                "bytes of the reply");
  EXPECT_LT(Clock::now() - start, 2s);
  EXPECT_EQ(collector.pieces, (std::vector<std::string>{"Once", " upon"}));
}

TEST(OllamaFailure, ConnectionRefused) {
  unsigned short closed_port = 0;
  {
    // A port that was just free: nothing listens on it now.
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::address_v4::loopback(), 0});
    closed_port = acceptor.local_endpoint().port();
  }
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port);
  OllamaChatModel model(settings_for(url));
  PieceCollector collector;
  EXPECT_EQ(failure_of(model, collector),
            "ollama at " + url +
                ": cannot connect: Connection refused (is the Ollama server "
                "running?)");
}

TEST(OllamaCancel, AStopRequestMidStreamReturnsPromptlyAndHangsUp) {
  ScriptedOllamaServer server;
  ScriptedReply reply = streamed({content_line("Once"), content_line(" upon")});
  reply.ending = ScriptedReply::Ending::hang;
  server.script("/api/chat", reply);
  OllamaChatModel model(settings_for(server.url()));
  std::stop_source stop;
  PieceCollector collector;
  std::jthread canceller([&] {
    std::this_thread::sleep_for(200ms);
    stop.request_stop();
  });
  const auto start = Clock::now();
  const GenerationResult result =
      model.chat(hello_request(), collector.callback(), stop.get_token());
  EXPECT_LT(Clock::now() - start, 1s);  // not read_timeout (4 s)
  EXPECT_EQ(result.done_reason, "cancelled");
  EXPECT_EQ(result.text, "Once upon");
  EXPECT_TRUE(server.wait_for_hangups(1));
}

TEST(OllamaCancel, AStopRequestWhileTheModelLoads) {
  ScriptedOllamaServer server;
  ScriptedReply silent;
  silent.silent = true;
  server.script("/api/chat", silent);
  OllamaChatModel model(settings_for(server.url()));
  std::stop_source stop;
  std::jthread canceller([&] {
    std::this_thread::sleep_for(100ms);
    stop.request_stop();
  });
  const auto start = Clock::now();
  EXPECT_EQ(model.chat(hello_request(), {}, stop.get_token()).done_reason, "cancelled");
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST(OllamaCancel, TheCallbackSayingStopClosesTheConnection) {
  ScriptedOllamaServer server;
  ScriptedReply reply = streamed({content_line("one"), content_line(" two")});
  reply.ending = ScriptedReply::Ending::hang;
  server.script("/api/chat", reply);
  OllamaChatModel model(settings_for(server.url()));
  std::vector<std::string> pieces;
  const GenerationResult result = model.chat(hello_request(),
                                             [&](std::string_view piece) {
                                               pieces.emplace_back(piece);
                                               return false;
                                             },
                                             {});
  EXPECT_EQ(result.done_reason, "cancelled");
  EXPECT_EQ(pieces, (std::vector<std::string>{"one"}));
  EXPECT_TRUE(server.wait_for_hangups(1));
}

TEST(OllamaHealth, AFailedRequestIsReportedAndTheNextSuccessClearsIt) {
  ScriptedOllamaServer server;
  server.script("/api/chat", error_reply(503, "server busy, please try again"));
  server.script("/api/chat", streamed({content_line("ok"), final_line()}));
  OllamaChatModel model(settings_for(server.url()));
  std::vector<std::string> outcomes;
  model.set_outcome_listener([&](const std::string& failure) { outcomes.push_back(failure); });
  PieceCollector collector;
  failure_of(model, collector);
  model.chat(hello_request(), {}, {});
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0], "ollama at " + server.url() + ": server busy, please try again (503)");
  EXPECT_EQ(outcomes[1], "");
}

}  // namespace
}  // namespace seer::ollama::test
