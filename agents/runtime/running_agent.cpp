#include <seer/agents/home_assistant_entities.hpp>
#include <seer/agents/light_intents.hpp>
#include <seer/agents/light_tool.hpp>
#include <seer/agents/mqtt_lights.hpp>
#include <seer/agents/observation.hpp>
#include <seer/agents/running_agent.hpp>
#include <seer/agents/trigger_set.hpp>
#include <seer/log.hpp>

#include <boost/asio/post.hpp>
#include <boost/json.hpp>

namespace seer::agents {
namespace {

constexpr int kMaxTriggersWaiting = 8;

void add_timings(GenerationResult& total, const GenerationResult& round) {
  total.prompt_tokens += round.prompt_tokens;
  total.generated_tokens += round.generated_tokens;
  total.load_nanoseconds += round.load_nanoseconds;
  total.prompt_nanoseconds += round.prompt_nanoseconds;
  total.generation_nanoseconds += round.generation_nanoseconds;
}

// What a `report` trigger publishes over MQTT: the gist first, the whole report after it.
boost::json::object scene_message(const std::string& agent, const TriggerFired& fired,
                                  const VisionReport& report) {
  boost::json::object message{
      {"agent", agent}, {"trigger", fired.trigger}, {"time", iso8601_utc(report.captured_at)}};
  message["description"] = report.description ? boost::json::value(*report.description) : nullptr;
  message["people"] = report.faces ? boost::json::value(report.faces->size()) : nullptr;
  message["mood"] = report.emotion ? boost::json::value(report.emotion->label) : nullptr;
  message["report"] = to_json(report);
  return message;
}

}  // namespace

RunningAgent::RunningAgent(AgentDefinition definition, Parts parts, Bus& bus)
    : definition_(std::move(definition)),
      chat_model_(std::move(parts.chat_model)),
      bus_(bus),
      log_(logger("agent." + definition_.name)),
      eyes_(definition_.name, std::move(parts.vision), definition_.vision.freshness, bus,
            definition_.home_assistant),
      lights_(definition_.tools.lights.empty()
                  ? nullptr
                  : std::make_unique<MqttLights>(definition_.tools.lights, bus,
                                                 "agents/" + definition_.name + "/lights")),
      tools_(lights_.get(), definition_.tools.lights, &eyes_, definition_.tools.snapshot),
      memory_(definition_.memory) {
  if (!definition_.triggers.empty()) {
    triggers_ =
        std::make_unique<TriggerSet>(definition_.name, definition_.triggers, bus,
                                     [this](const TriggerFired& fired) { on_trigger(fired); });
  }
}

RunningAgent::~RunningAgent() { stop(); }

void RunningAgent::start() {
  // The mqtt plugin subscribes to what the triggers and the lights listen to.
  const auto ask_mqtt_for = [this](const std::string& filter, int qos) {
    bus_.publish("mqtt/subscribe", boost::json::object{{"topic", filter}, {"qos", qos}},
                 "agent:" + definition_.name);
  };
  for (const TriggerDefinition& trigger : definition_.triggers) {
    if (trigger.source == TriggerSource::mqtt) ask_mqtt_for(trigger.mqtt_topic, 1);
  }
  for (const LightDefinition& light : definition_.tools.lights) {
    for (const std::string& topic : state_report_topics(light)) ask_mqtt_for(topic, 0);
  }
  if (lights_) lights_->start();
  if (triggers_) triggers_->start();
  if (definition_.home_assistant && eyes_.can_see()) {
    announce_home_assistant_entities(bus_, definition_.name);
  }
  log_->info("agent {} is up: chat model {}, {} trigger(s), {} tool(s)", definition_.name,
             definition_.llm.backend.empty() ? "none" : definition_.llm.backend,
             definition_.triggers.size(), tools_.definitions().size());
}

void RunningAgent::stop() {
  if (triggers_) triggers_->stop();
  trigger_worker_.join();
}

void RunningAgent::on_trigger(const TriggerFired& fired) {
  // Called on a bus or timer thread: the look itself runs on the agent's own worker.
  if (triggers_waiting_.fetch_add(1) >= kMaxTriggersWaiting) {
    triggers_waiting_.fetch_sub(1);
    log_->warn("trigger {} dropped: {} trigger actions are already waiting", fired.trigger,
               kMaxTriggersWaiting);
    return;
  }
  boost::asio::post(trigger_worker_, [this, fired] {
    try {
      act_on_trigger(fired);
    } catch (const std::exception& error) {
      log_->error("trigger {} failed: {}", fired.trigger, error.what());
    }
    triggers_waiting_.fetch_sub(1);
  });
}

void RunningAgent::act_on_trigger(const TriggerFired& fired) {
  if (!eyes_.can_see()) {
    log_->warn("trigger {} wants a look, but agent {} has no eyes", fired.trigger,
               definition_.name);
    return;
  }
  const std::string reason = "trigger " + fired.trigger;
  const AgentEyes::Seen seen =
      fired.action == kReportAction ? eyes_.look(reason) : eyes_.look_if_stale(reason);
  if (fired.action == kReportAction && fired.publish) {
    bus_.publish(
        "mqtt/out/" + fired.publish->topic,
        boost::json::object{{"payload", scene_message(definition_.name, fired, seen.report)},
                            {"qos", fired.publish->qos},
                            {"retain", fired.publish->retain}},
        "agent:" + definition_.name);
  }
}

std::optional<std::string> RunningAgent::observation() const {
  const auto seen = eyes_.latest();
  if (!seen) return std::nullopt;
  return observation_text(seen->report, AgentEyes::age(*seen));
}

GenerationOptions RunningAgent::options_for(const AgentTurn& turn) const {
  return turn.options ? *turn.options : definition_.llm.options;
}

ChatRequest RunningAgent::request_for(const ChatPrompt& prompt, const AgentTurn& turn) const {
  ChatRequest request{.model = definition_.llm.model,
                      .messages = chat_messages(prompt),
                      .options = options_for(turn),
                      .keep_alive = definition_.llm.keep_alive};
  if (chat_model_->info().tools) request.tools = tools_.definitions();
  return request;
}

std::shared_ptr<std::mutex> RunningAgent::session_lock(const std::string& session) {
  const std::lock_guard lock(session_locks_mutex_);
  std::erase_if(session_locks_, [](const auto& entry) { return entry.second.expired(); });
  std::shared_ptr<std::mutex> mutex = session_locks_[session].lock();
  if (!mutex) {
    mutex = std::make_shared<std::mutex>();
    session_locks_[session] = mutex;
  }
  return mutex;
}

AgentReply RunningAgent::say(const AgentTurn& turn, const TokenCallback& on_piece,
                             std::stop_token cancel) {
  const std::shared_ptr<std::mutex> session = session_lock(turn.session);
  const std::lock_guard one_turn_at_a_time(*session);
  if (!chat_model_) {
    throw std::runtime_error("agent " + definition_.name +
                             " has no chat model (her file has no `llm:` section)");
  }
  AgentReply reply;
  ChatPrompt prompt{.persona = definition_.persona,
                    .history = memory_.history(turn.session),
                    .user = {.role = "user", .content = turn.text, .images = turn.images}};

  if (triggers_ && eyes_.can_see()) {
    if (const auto fired = triggers_->match_phrase(turn.text)) {
      const std::string reason = "trigger " + fired->trigger;
      const AgentEyes::Seen seen =
          fired->action == kReportAction ? eyes_.look(reason) : eyes_.look_if_stale(reason);
      reply.vision_report = to_json(seen.report);
    }
  }
  if (lights_) {
    if (const auto command = parse_light_intent(turn.text, definition_.tools.lights)) {
      AgentAction action{.tool = kLightToolName,
                         .arguments = {{"text", turn.text}},
                         .result = lights_->apply(*command, "intent")};
      prompt.notes.push_back("You have just done this with the lights, as the user asked: " +
                             boost::json::serialize(action.result) +
                             ". Confirm it in a few words; it is done, do not set the lights "
                             "again for it.");
      reply.actions.push_back(std::move(action));
    }
  }
  prompt.observation = observation();

  for (int round = 0;; ++round) {
    const ChatRequest request = request_for(prompt, turn);
    {
      // Kept without pixels: an image decoded by a plugin must not outlive that plugin here.
      ChatRequest kept = request;
      for (ChatMessage& message : kept.messages) message.images.clear();
      const std::lock_guard lock(last_request_mutex_);
      last_request_ = std::move(kept);
    }
    GenerationResult result = chat_model_->chat(request, on_piece, cancel);
    add_timings(reply.result, result);
    if (result.tool_calls.empty() || round >= definition_.llm.max_tool_rounds) {
      reply.result.text = std::move(result.text);
      reply.result.thinking = std::move(result.thinking);
      reply.result.done_reason = std::move(result.done_reason);
      break;
    }
    prompt.tool_rounds.push_back(
        {.role = "assistant", .content = result.text, .tool_calls = result.tool_calls});
    for (const ToolCall& call : result.tool_calls) {
      AgentAction action = tools_.run(call, "tool");
      prompt.tool_rounds.push_back({.role = "tool",
                                    .content = boost::json::serialize(action.result),
                                    .tool_name = call.name});
      if (call.name == kLookToolName) {
        prompt.observation = observation();
        if (const auto seen = eyes_.latest()) reply.vision_report = to_json(seen->report);
      }
      reply.actions.push_back(std::move(action));
    }
  }

  memory_.remember(turn.session, prompt.user, {.role = "assistant", .content = reply.result.text});
  boost::json::array actions;
  for (const AgentAction& action : reply.actions) {
    actions.push_back(
        {{"tool", action.tool}, {"arguments", action.arguments}, {"result", action.result}});
  }
  bus_.publish("agents/" + definition_.name + "/reply",
               boost::json::object{{"session", turn.session},
                                   {"text", reply.result.text},
                                   {"done_reason", reply.result.done_reason},
                                   {"looked", !reply.vision_report.is_null()},
                                   {"actions", std::move(actions)}},
               "agent:" + definition_.name);
  return reply;
}

boost::json::value RunningAgent::look(std::stop_token) {
  if (!eyes_.can_see()) throw std::runtime_error("agent " + definition_.name + " has no eyes");
  return to_json(eyes_.look("look request").report);
}

void RunningAgent::forget(const std::string& session) { memory_.forget(session); }

ChatRequest RunningAgent::last_request() const {
  const std::lock_guard lock(last_request_mutex_);
  return last_request_;
}

}  // namespace seer::agents
