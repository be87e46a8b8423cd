#pragma once
// Lights reached over MQTT through the bus: commands become `mqtt/out/<topic>` events (the
// mqtt plugin sends them), state reports arrive as `mqtt/in/<topic>` events, and every
// change is announced on a topic of the agent's.

#include <seer/agents/light_command.hpp>
#include <seer/agents/light_definition.hpp>
#include <seer/bus.hpp>
#include <seer/services/light_controller.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace seer::agents {

class MqttLights final : public LightController {
 public:
  // `announce_topic` (e.g. agents/sophia/lights) gets {"light", "state", "source"} for every
  // change, commanded or reported.
  MqttLights(std::vector<LightDefinition> lights, Bus& bus, std::string announce_topic);
  ~MqttLights() override;
  MqttLights(const MqttLights&) = delete;
  MqttLights& operator=(const MqttLights&) = delete;

  // Listens for the lights' state reports (`mqtt/in/<state topic>`). Idempotent.
  void start();
  // Stops listening; the destructor does it too.
  void stop();

  // Validates `command`, publishes its messages and returns what was sent:
  // {"lights": [{"light", "sent": [{"topic", "payload"}], "state"}], "skipped": [...]}.
  // With "all", lights that cannot do what is asked are skipped (with the reason); a named
  // light that cannot, an unknown light or a bad value throws std::invalid_argument.
  boost::json::object apply(const LightCommand& command, std::string_view source);

  const std::vector<LightDefinition>& definitions() const { return lights_; }

  std::vector<std::string> lights() const override;
  // The last commanded or reported state; nullopt for an unknown light or one not heard of.
  std::optional<LightState> state(const std::string& light) const override;
  // `state` as a command (brightness 0-255 becomes percent, mireds become kelvin).
  void set(const std::string& light, const LightState& state) override;

 private:
  void on_state_report(const LightDefinition& light, const EventPtr& event);
  // The light's state becomes update(its previous state) in one step under the lock (a report on
  // one topic, another on a second topic and a command can arrive together), announced when it
  // changed. Returns the new state; nullopt (nothing changes) when update returns none.
  std::optional<LightState> update(
      const LightDefinition& light,
      const std::function<std::optional<LightState>(const LightState&)>& next,
      std::string_view source);

  std::vector<LightDefinition> lights_;
  Bus& bus_;
  std::string announce_topic_;
  mutable std::mutex mutex_;
  std::map<std::string, LightState> states_;  // by light name
  std::vector<Subscription> subscriptions_;
};

}  // namespace seer::agents
