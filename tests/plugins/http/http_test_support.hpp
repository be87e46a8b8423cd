#pragma once
// The http tests' world: a real seer::Runtime running the http plugin on an ephemeral port,
// with scripted chat models and agents registered by the test.

#include <seer/host/runtime.hpp>
#include <seer/services/agent.hpp>
#include <seer/services/chat_model.hpp>

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http_test_client.hpp"
#include "runtime_from_yaml.hpp"
#include "test_assets.hpp"

namespace seer::http::test {

// A copy that keeps the images' sizes but not their pixels, whose deleter lives in the http
// plugin's library: a test may hold the copy after the runtime has unloaded it.
inline ChatRequest without_pixels(ChatRequest request) {
  for (ChatMessage& message : request.messages) {
    for (Image& image : message.images) image.data.reset();
  }
  return request;
}

// A file's bytes in standard base64.
inline std::string base64_of_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), {});
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

// The test photo (512 x 600 JPEG) in standard base64.
inline std::string photo_base64() {
  return base64_of_file(seer::test::asset("photos/grace_hopper.jpg"));
}

// Streams `pieces` one by one (waiting `piece_delay` before each), or throws after
// `throw_after` pieces; records requests and whether a generation was cancelled.
class ScriptedChatModel final : public ChatModel {
 public:
  std::vector<std::string> pieces{"Hello", ", ", "world", "!"};
  std::chrono::milliseconds piece_delay{0};
  int throw_after = -1;
  ChatModelInfo model_info{.model = "scripted-7b", .vision = true, .tools = true};
  std::vector<ToolCall> tool_calls;

  ChatModelInfo info() const override { return model_info; }

  GenerationResult chat(const ChatRequest& request, const TokenCallback& on_piece,
                        std::stop_token cancel) override {
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(without_pixels(request));
    }
    ++running_;
    GenerationResult result{.done_reason = "stop", .tool_calls = tool_calls, .prompt_tokens = 7};
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      if (throw_after == static_cast<int>(i)) {
        --running_;
        throw std::runtime_error("the scripted backend broke");
      }
      std::unique_lock lock(mutex_);
      // Sleeps for the delay, waking early when the generation is cancelled.
      static_cast<void>(wake_.wait_for(lock, cancel, piece_delay, [] { return false; }));
      if (cancel.stop_requested()) {
        cancelled_ = true;
        result.done_reason = "cancelled";
        break;
      }
      lock.unlock();
      result.text += pieces[i];
      ++result.generated_tokens;
      if (!on_piece(pieces[i])) {
        result.done_reason = "cancelled";
        break;
      }
    }
    result.load_nanoseconds = 1'000;
    result.prompt_nanoseconds = 2'000;
    result.generation_nanoseconds = 3'000;
    --running_;
    return result;
  }

  std::vector<ChatRequest> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }
  bool cancelled() const {
    const std::lock_guard lock(mutex_);
    return cancelled_;
  }
  int running() const { return running_; }

 private:
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::vector<ChatRequest> requests_;
  bool cancelled_ = false;
  std::atomic<int> running_{0};
};

// Answers every turn with "I see you." and a vision report; records the turns.
class ScriptedAgent final : public Agent {
 public:
  std::string name() const override { return "sophia"; }
  AgentReply say(const AgentTurn& turn, const TokenCallback& on_piece, std::stop_token) override {
    {
      const std::lock_guard lock(mutex_);
      turns_.push_back(turn);
      for (Image& image : turns_.back().images) image.data.reset();
    }
    on_piece("I see ");
    on_piece("you.");
    AgentReply reply;
    reply.result = {
        .text = "I see you.", .done_reason = "stop", .prompt_tokens = 3, .generated_tokens = 2};
    reply.vision_report = boost::json::object{{"people", 1}};
    reply.actions.push_back({.tool = "set_light",
                             .arguments = {{"state", "on"}},
                             .result = boost::json::object{{"ok", true}}});
    return reply;
  }
  boost::json::value look(std::stop_token) override { return boost::json::object{}; }
  void forget(const std::string&) override {}
  std::vector<AgentTurn> turns() const {
    const std::lock_guard lock(mutex_);
    return turns_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<AgentTurn> turns_;
};

// A runtime whose `plugins:` section is `plugins_yaml` (the http plugin on port 0 unless the
// test says otherwise).
class HttpWorld {
 public:
  explicit HttpWorld(const std::string& plugins_yaml = "  http: {port: 0}\n") {
    const ConfigNode root = ConfigNode::load_string(
        "seer: {log: {level: error}}\nplugins:\n" + plugins_yaml, "http-test.yaml");
    runtime_ = seer::test::start_runtime_from(root);
  }
  ~HttpWorld() { runtime_->stop(); }

  Runtime& runtime() { return *runtime_; }
  ServiceRegistry& registry() { return runtime_->registry(); }

  // The port from the plugin's health reason "listening on 127.0.0.1:PORT".
  std::uint16_t port() const {
    for (const PluginStatus& status : runtime_->status()) {
      if (status.plugin != "http") continue;
      const std::string& reason = status.health.reason;
      if (!reason.starts_with("listening on ")) {
        throw std::runtime_error("http is not listening: " + reason);
      }
      return static_cast<std::uint16_t>(std::stoi(reason.substr(reason.rfind(':') + 1)));
    }
    throw std::runtime_error("no http plugin running");
  }
  HttpTestClient client() const { return HttpTestClient(port()); }

 private:
  std::unique_ptr<Runtime> runtime_;
};

// A runtime with the http plugin (2 workers), a scripted chat model "scripted" and a scripted
// agent "sophia" registered: what the chat tests of every API start from.
class ScriptedHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world.registry().add<ChatModel>("scripted", model, "test");
    world.registry().add<Agent>("sophia", agent, "test");
  }
  HttpWorld world{"  http: {port: 0, workers: 2}\n"};
  std::shared_ptr<ScriptedChatModel> model = std::make_shared<ScriptedChatModel>();
  std::shared_ptr<ScriptedAgent> agent = std::make_shared<ScriptedAgent>();
};

// Waits up to `limit` for `condition`.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace seer::http::test
