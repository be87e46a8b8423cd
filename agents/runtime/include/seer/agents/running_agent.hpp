#pragma once
// An agent file brought to life: her chat model, eyes, lights, triggers and memory, serving
// turns (seer::Agent) and acting on the triggers the bus fires.

#include <seer/agents/agent_definition.hpp>
#include <seer/agents/agent_eyes.hpp>
#include <seer/agents/agent_tools.hpp>
#include <seer/agents/chat_prompt.hpp>
#include <seer/agents/conversation_memory.hpp>
#include <seer/bus.hpp>
#include <seer/services/agent.hpp>
#include <seer/services/chat_model.hpp>

#include <boost/asio/thread_pool.hpp>

#include <spdlog/logger.h>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace seer::agents {

class MqttLights;
class TriggerSet;
struct TriggerFired;

class RunningAgent final : public Agent {
 public:
  struct Parts {
    std::shared_ptr<ChatModel> chat_model;
    std::unique_ptr<VisionReportPipeline> vision;  // null when vision is off
  };

  RunningAgent(AgentDefinition definition, Parts parts, Bus& bus);
  ~RunningAgent() override;

  // Subscribes triggers and light states, announces Home Assistant entities.
  void start();
  // Unsubscribes and waits for trigger work in progress (a look: at most its stage timeout).
  void stop();

  std::string name() const override { return definition_.name; }
  AgentReply say(const AgentTurn& turn, const TokenCallback& on_piece,
                 std::stop_token cancel) override;
  boost::json::value look(std::stop_token cancel) override;
  void forget(const std::string& session) override;

  const AgentDefinition& definition() const { return definition_; }
  // The last chat-model request (every round of a turn ends here) without its images, for
  // tests and `seer agent`.
  ChatRequest last_request() const;

 private:
  void on_trigger(const TriggerFired& fired);
  void act_on_trigger(const TriggerFired& fired);
  GenerationOptions options_for(const AgentTurn& turn) const;
  ChatRequest request_for(const ChatPrompt& prompt, const AgentTurn& turn) const;
  std::optional<std::string> observation() const;
  // Turns of one session run one after another (each sees the exchanges before it).
  std::shared_ptr<std::mutex> session_lock(const std::string& session);

  AgentDefinition definition_;
  std::shared_ptr<ChatModel> chat_model_;
  Bus& bus_;
  std::shared_ptr<spdlog::logger> log_;
  AgentEyes eyes_;
  std::unique_ptr<MqttLights> lights_;
  AgentTools tools_;
  ConversationMemory memory_;
  std::unique_ptr<TriggerSet> triggers_;
  boost::asio::thread_pool trigger_worker_{1};
  std::atomic<int> triggers_waiting_{0};
  std::mutex session_locks_mutex_;
  std::map<std::string, std::weak_ptr<std::mutex>, std::less<>> session_locks_;
  mutable std::mutex last_request_mutex_;
  ChatRequest last_request_;
};

}  // namespace seer::agents
