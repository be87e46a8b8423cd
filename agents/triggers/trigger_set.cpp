// Triggers at work: bus events in, conditions, cooldown and debounce, firings out.

#include <seer/agents/phrase_words.hpp>
#include <seer/agents/trigger_set.hpp>
#include <seer/log.hpp>
#include <seer/topic.hpp>

#include "timer_thread.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace seer::agents {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string subscription_filter(const TriggerDefinition& definition) {
  switch (definition.source) {
    case TriggerSource::mqtt:
      return "mqtt/in/" + definition.mqtt_topic;
    case TriggerSource::schedule:
      return "clock/schedule/" + definition.schedule;
    case TriggerSource::motion:
      return "camera/" + definition.camera + "/motion";
    case TriggerSource::phrase:
      break;
  }
  return {};
}

bool all_hold(const std::vector<Condition>& conditions, const boost::json::value& payload) {
  for (const Condition& condition : conditions) {
    if (!condition.holds(payload)) return false;
  }
  return true;
}

// What an event says about a trigger's condition: it holds, it no longer holds, or nothing.
enum class Reading { holds, ended, ignored };

Reading read_event(const TriggerDefinition& definition, const Event& event) {
  const boost::json::object* payload = event.payload.if_object();
  switch (definition.source) {
    case TriggerSource::mqtt: {
      if (payload == nullptr) return Reading::ignored;
      // A retained message replays a past state at subscription time: nothing happened now.
      if (const auto* retained = payload->if_contains("retained");
          retained != nullptr && retained->is_bool() && retained->get_bool()) {
        return Reading::ignored;
      }
      const boost::json::value* message = payload->if_contains("payload");
      static const boost::json::value kNull;
      return all_hold(definition.conditions, message != nullptr ? *message : kNull)
                 ? Reading::holds
                 : Reading::ended;
    }
    case TriggerSource::motion: {
      const boost::json::value* state =
          payload != nullptr ? payload->if_contains("state") : nullptr;
      if (state == nullptr || !state->is_string()) return Reading::ignored;
      if (state->get_string() == "start") return Reading::holds;
      return state->get_string() == "stop" ? Reading::ended : Reading::ignored;
    }
    case TriggerSource::schedule:
      return Reading::holds;
    case TriggerSource::phrase:
      break;
  }
  return Reading::ignored;
}

// The MQTT topic of an `mqtt/in` event (each topic under a wildcard debounces on its own).
std::string debounce_topic(const Event& event) {
  if (const boost::json::object* payload = event.payload.if_object()) {
    if (const auto* topic = payload->if_contains("topic"); topic != nullptr && topic->is_string()) {
      return std::string(topic->get_string());
    }
  }
  return event.topic;
}

}  // namespace

class TriggerSet::Impl {
 public:
  Impl(std::string agent, std::vector<TriggerDefinition> definitions, Bus& bus, FireHandler on_fire)
      : agent_(std::move(agent)),
        event_topic_("agents/" + agent_ + "/trigger"),
        definitions_(std::move(definitions)),
        bus_(bus),
        on_fire_(std::move(on_fire)),
        last_fired_(definitions_.size()),
        log_(logger("agents.triggers")) {
    if (agent_.empty() || agent_.find('/') != std::string::npos || !is_valid_topic(event_topic_)) {
      throw std::invalid_argument("agent name '" + agent_ + "' cannot be a topic level");
    }
    for (const TriggerDefinition& definition : definitions_) {
      std::vector<std::vector<std::string>> phrases;
      for (const std::string& phrase : definition.phrases) phrases.push_back(phrase_words(phrase));
      phrase_words_.push_back(std::move(phrases));
      if (definition.debounce > Duration::zero() && !timers_) {
        timers_ = std::make_unique<TimerThread>();
      }
    }
  }

  void start() {
    std::lock_guard lock(mutex_);
    if (started_ || stopped_) return;
    started_ = true;
    for (std::size_t index = 0; index < definitions_.size(); ++index) {
      const std::string filter = subscription_filter(definitions_[index]);
      if (filter.empty()) continue;
      SubscribeOptions options;
      options.subscriber_name = "agent " + agent_ + " trigger " + definitions_[index].name;
      subscriptions_.push_back(bus_.subscribe(
          filter, [this, index](const EventPtr& event) { on_event(index, event); }, options));
    }
  }

  void stop() {
    std::vector<Subscription> subscriptions;
    {
      std::lock_guard lock(mutex_);
      stopped_ = true;
      subscriptions = std::move(subscriptions_);
      pending_.clear();
    }
    // Each returns only when its handler is not running, so on_fire is done with too.
    for (Subscription& subscription : subscriptions) subscription.unsubscribe();
    if (timers_) timers_->stop();
  }

  std::optional<TriggerFired> match_phrase(std::string_view text) {
    std::vector<std::string> words;
    try {
      words = phrase_words(text);
    } catch (const std::invalid_argument& error) {
      log_->debug("agent {}: chat text not matched against phrases: {}", agent_, error.what());
      return std::nullopt;
    }
    for (std::size_t index = 0; index < definitions_.size(); ++index) {
      for (std::size_t phrase = 0; phrase < phrase_words_[index].size(); ++phrase) {
        if (!contains_words(words, phrase_words_[index][phrase])) continue;
        const boost::json::object detail{{"phrase", definitions_[index].phrases[phrase]},
                                         {"text", text}};
        if (auto fired = fire(index, {}, detail, 0)) return fired;
        break;  // cooling down: a later trigger may still match
      }
    }
    return std::nullopt;
  }

  std::uint64_t fired() const { return fired_.load(); }
  std::uint64_t suppressed() const { return suppressed_.load(); }
  const std::string& agent() const { return agent_; }
  const std::string& event_topic() const { return event_topic_; }
  const std::vector<TriggerDefinition>& definitions() const { return definitions_; }

 private:
  // A debounce in progress: one per trigger and MQTT topic (or camera).
  struct Pending {
    std::uint64_t timer = 0;
    std::uint64_t generation = 0;
    EventPtr latest;  // the newest event that held, whose payload the firing carries
  };
  using PendingKey = std::pair<std::size_t, std::string>;

  void on_event(std::size_t index, const EventPtr& event) {
    const TriggerDefinition& definition = definitions_[index];
    const Reading reading = read_event(definition, *event);
    if (reading == Reading::ignored) return;
    if (definition.debounce == Duration::zero()) {
      if (reading == Reading::holds) fire_and_handle(index, event);
      return;
    }
    const PendingKey key{index, debounce_topic(*event)};
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    const auto pending = pending_.find(key);
    if (reading == Reading::ended) {
      if (pending != pending_.end()) {
        timers_->cancel(pending->second.timer);
        pending_.erase(pending);
        log_->debug("agent {}: trigger {} no longer holds on {}: debounce cancelled", agent_,
                    definition.name, key.second);
      }
    } else if (pending != pending_.end()) {
      pending->second.latest = event;  // holding still; the deadline stays
    } else {
      const std::uint64_t generation = ++generations_;
      const std::uint64_t timer =
          timers_->schedule(SteadyClock::now() + definition.debounce,
                            [this, key, generation] { debounce_elapsed(key, generation); });
      pending_.emplace(key, Pending{timer, generation, event});
    }
  }

  void debounce_elapsed(const PendingKey& key, std::uint64_t generation) {
    EventPtr event;
    {
      std::lock_guard lock(mutex_);
      const auto pending = pending_.find(key);
      if (pending == pending_.end() || pending->second.generation != generation) return;
      event = std::move(pending->second.latest);
      pending_.erase(pending);
    }
    fire_and_handle(key.first, event);
  }

  void fire_and_handle(std::size_t index, const EventPtr& event) {
    const std::optional<TriggerFired> fired =
        fire(index, event->topic, event->payload, event->trace_id);
    if (!fired || !on_fire_) return;
    try {
      on_fire_(*fired);
    } catch (const std::exception& error) {
      log_->error("agent {}: handler of trigger {} threw: {}", agent_, fired->trigger,
                  error.what());
    }
  }

  // The firing, published, unless the set is stopped or the trigger is cooling down.
  std::optional<TriggerFired> fire(std::size_t index, std::string topic, boost::json::value detail,
                                   TraceId trace_id) {
    const TriggerDefinition& definition = definitions_[index];
    {
      std::lock_guard lock(mutex_);
      if (stopped_) return std::nullopt;
      const SteadyClock::time_point now = SteadyClock::now();
      std::optional<SteadyClock::time_point>& last = last_fired_[index];
      if (last && now - *last < definition.cooldown) {
        ++suppressed_;
        log_->debug("agent {}: trigger {} cooling down ({} suppressed in all)", agent_,
                    definition.name, suppressed_.load());
        return std::nullopt;
      }
      last = now;
      ++fired_;
    }
    TriggerFired fired{.agent = agent_,
                       .trigger = definition.name,
                       .action = definition.action,
                       .source = definition.source,
                       .topic = std::move(topic),
                       .detail = std::move(detail),
                       .publish = definition.publish,
                       .at = std::chrono::system_clock::now(),
                       .trace_id = trace_id != 0 ? trace_id : new_trace_id()};
    log_->debug("agent {}: trigger {} fired: {}", agent_, definition.name, definition.action);
    bus_.publish(Event{.topic = event_topic_,
                       .payload = to_json(fired),
                       .source = agent_,
                       .timestamp = fired.at,
                       .trace_id = fired.trace_id});
    return fired;
  }

  const std::string agent_;
  const std::string event_topic_;
  const std::vector<TriggerDefinition> definitions_;
  std::vector<std::vector<std::vector<std::string>>> phrase_words_;  // per trigger, per phrase
  Bus& bus_;
  const FireHandler on_fire_;

  mutable std::mutex mutex_;
  bool started_ = false;
  bool stopped_ = false;
  std::vector<std::optional<SteadyClock::time_point>> last_fired_;  // per trigger
  std::map<PendingKey, Pending> pending_;
  std::uint64_t generations_ = 0;
  std::vector<Subscription> subscriptions_;
  std::atomic<std::uint64_t> fired_{0};
  std::atomic<std::uint64_t> suppressed_{0};
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<TimerThread> timers_;  // only with a debounce
};

TriggerSet::TriggerSet(std::string agent, std::vector<TriggerDefinition> definitions, Bus& bus,
                       FireHandler on_fire)
    : impl_(std::make_unique<Impl>(std::move(agent), std::move(definitions), bus,
                                   std::move(on_fire))) {}

TriggerSet::~TriggerSet() { impl_->stop(); }

void TriggerSet::start() { impl_->start(); }
void TriggerSet::stop() { impl_->stop(); }
std::optional<TriggerFired> TriggerSet::match_phrase(std::string_view text) {
  return impl_->match_phrase(text);
}
std::uint64_t TriggerSet::fired() const { return impl_->fired(); }
std::uint64_t TriggerSet::suppressed() const { return impl_->suppressed(); }
const std::string& TriggerSet::agent() const { return impl_->agent(); }
const std::string& TriggerSet::event_topic() const { return impl_->event_topic(); }
const std::vector<TriggerDefinition>& TriggerSet::definitions() const {
  return impl_->definitions();
}

}  // namespace seer::agents
