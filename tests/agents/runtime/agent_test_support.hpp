#pragma once
// The agent tests' shared parts: a runtime with real plugins and agents from one YAML
// document, and a scripted chat model for the tests about the agent's own logic (what it
// sends, when it looks, which tools it runs) rather than about a model.

#include <seer/agents/agent_host.hpp>
#include <seer/host/runtime.hpp>
#include <seer/services/chat_model.hpp>

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime_from_yaml.hpp"
#include "test_assets.hpp"

namespace seer::agents::test {

// Replies from a script (then "ok."), streaming each reply in two pieces; records requests.
class ScriptedChatModel final : public ChatModel {
 public:
  explicit ScriptedChatModel(bool offers_tools = true) : offers_tools_(offers_tools) {}

  void push(GenerationResult reply) {
    const std::lock_guard lock(mutex_);
    script_.push_back(std::move(reply));
  }
  std::vector<ChatRequest> requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
  }

  ChatModelInfo info() const override { return {.model = "scripted", .tools = offers_tools_}; }
  GenerationResult chat(const ChatRequest& request, const TokenCallback& on_piece,
                        std::stop_token) override {
    GenerationResult reply{.text = "ok.", .done_reason = "stop"};
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(request);
      if (!script_.empty()) {
        reply = std::move(script_.front());
        script_.pop_front();
      }
    }
    const std::size_t half = reply.text.size() / 2;
    if (on_piece && !reply.text.empty()) {
      on_piece(std::string_view(reply.text).substr(0, half));
      on_piece(std::string_view(reply.text).substr(half));
    }
    reply.prompt_tokens = 10;
    reply.generated_tokens = 2;
    return reply;
  }

 private:
  bool offers_tools_;
  mutable std::mutex mutex_;
  std::deque<GenerationResult> script_;
  std::vector<ChatRequest> requests_;
};

// A runtime started from `document` (its `plugins:`, with SEER_PLUGIN_BUILD_DIR's plugins),
// extra chat models registered by the test, and the document's `agents:` started on top.
class AgentWorld {
 public:
  explicit AgentWorld(const std::string& document,
                      std::vector<std::pair<std::string, std::shared_ptr<ChatModel>>> models = {}) {
    const ConfigNode root = ConfigNode::load_string(document, "world.yaml");
    runtime_ = seer::test::start_runtime_from(root);
    for (auto& [name, model] : models) runtime_->registry().add<ChatModel>(name, model, "test");
    host_ = std::make_unique<AgentHost>(runtime_->bus(), runtime_->registry());
    try {
      host_->start(read_agents_section(root["agents"]), runtime_->status());
    } catch (...) {
      runtime_->stop();
      throw;
    }
  }
  ~AgentWorld() {
    host_->stop();
    runtime_->stop();
  }

  Runtime& runtime() { return *runtime_; }
  Bus& bus() { return runtime_->bus(); }
  RunningAgent& agent(std::string_view name) {
    auto agent = host_->find(name);
    if (!agent) throw std::runtime_error("no agent " + std::string(name));
    return *agent;
  }

 private:
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<AgentHost> host_;
};

// A camera showing one real photo (a face) and the Haar face detector.
inline std::string camera_and_faces_yaml(const std::string& photo = "photos/grace_hopper.jpg") {
  return "  webcam:\n    plugin: camera\n    source: {images: " +
         seer::test::asset(photo).string() + "}\n  faces: {detector: haar}\n";
}

// How many messages of `request` carry the observation block.
inline int observation_blocks(const ChatRequest& request) {
  int count = 0;
  for (const ChatMessage& message : request.messages) {
    for (std::size_t at = message.content.find("[Vision report"); at != std::string::npos;
         at = message.content.find("[Vision report", at + 1)) {
      ++count;
    }
  }
  return count;
}

}  // namespace seer::agents::test
