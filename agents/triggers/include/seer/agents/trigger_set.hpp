#pragma once
// An agent's triggers at work: subscribes what the bus-driven ones listen to
// (`mqtt/in/<filter>`, `clock/schedule/<name>`, `camera/<camera>/motion`), applies conditions,
// cooldown and debounce, publishes every firing as `agents/<agent>/trigger` and hands it to
// `on_fire`. Chat turns ask match_phrase().
//
// Threads: on_fire runs on a bus delivery thread, or on the set's debounce timer thread. It
// must return quickly (hand the work to the agent's own worker) and must not call stop() or
// destroy the set. Every member function is safe to call from any other thread.

#include <seer/agents/trigger_definition.hpp>
#include <seer/agents/trigger_fired.hpp>
#include <seer/bus.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seer::agents {

class TriggerSet {
 public:
  using FireHandler = std::function<void(const TriggerFired&)>;

  // Throws std::invalid_argument when `agent` cannot be a topic level or a phrase is not UTF-8.
  TriggerSet(std::string agent, std::vector<TriggerDefinition> definitions, Bus& bus,
             FireHandler on_fire);
  ~TriggerSet();
  TriggerSet(const TriggerSet&) = delete;
  TriggerSet& operator=(const TriggerSet&) = delete;

  // Subscribes the bus-driven triggers. Idempotent; a stopped set stays stopped.
  void start();
  // Unsubscribes and cancels pending debounce timers; once it returns, on_fire is not running
  // and is never called again, and match_phrase() matches nothing. Idempotent.
  void stop();

  // The first phrase trigger, in definition order, whose phrase occurs in `text` as whole
  // words (case-folded, punctuation ignored) and that is not cooling down. Publishes the
  // firing but does not call on_fire: the chat turn that asked acts on it.
  std::optional<TriggerFired> match_phrase(std::string_view text);

  // Firings so far, and firings a cooldown held back.
  std::uint64_t fired() const;
  std::uint64_t suppressed() const;

  const std::string& agent() const;
  // "agents/<agent>/trigger", where every firing is published.
  const std::string& event_topic() const;
  const std::vector<TriggerDefinition>& definitions() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace seer::agents
