#include <seer/agents/light_dialects.hpp>
#include <seer/agents/mqtt_lights.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <stdexcept>

namespace seer::agents {
namespace {

constexpr std::string_view kEventSource = "lights";
constexpr std::size_t kStateReportQueue = 64;

void publish_message(Bus& bus, const MqttMessage& message) {
  bus.publish("mqtt/out/" + message.topic,
              boost::json::object{
                  {"payload", message.payload}, {"qos", message.qos}, {"retain", message.retain}},
              kEventSource);
}

boost::json::array sent_json(const std::vector<MqttMessage>& messages) {
  boost::json::array sent;
  for (const MqttMessage& message : messages) {
    sent.push_back(boost::json::object{{"topic", message.topic}, {"payload", message.payload}});
  }
  return sent;
}

}  // namespace

MqttLights::MqttLights(std::vector<LightDefinition> lights, Bus& bus, std::string announce_topic)
    : lights_(std::move(lights)), bus_(bus), announce_topic_(std::move(announce_topic)) {}

MqttLights::~MqttLights() { stop(); }

void MqttLights::start() {
  if (!subscriptions_.empty()) return;
  for (const LightDefinition& light : lights_) {
    for (const std::string& topic : state_report_topics(light)) {
      SubscribeOptions options;
      options.queue_capacity = kStateReportQueue;
      options.subscriber_name = "lights:" + light.name;
      subscriptions_.push_back(bus_.subscribe(
          "mqtt/in/" + topic,
          [this, &light](const EventPtr& event) { on_state_report(light, event); }, options));
    }
  }
}

void MqttLights::stop() {
  for (Subscription& subscription : subscriptions_) subscription.unsubscribe();
  subscriptions_.clear();
}

boost::json::object MqttLights::apply(const LightCommand& command, std::string_view source) {
  validate_light_command(command);
  const std::vector<const LightDefinition*> named = lights_named(command, lights_);
  // Not one light's name, yet lights were named: it was "all".
  const bool every_light = find_light(lights_, command.light) == nullptr;
  // Everything is checked before anything is sent, so a refused command changes nothing.
  std::vector<std::pair<const LightDefinition*, LightChange>> changes;
  boost::json::array skipped;
  for (const LightDefinition* light : named) {
    try {
      changes.emplace_back(light, light_change_for(*light, command));
    } catch (const std::invalid_argument& error) {
      if (!every_light) throw;
      skipped.push_back(boost::json::object{{"light", light->name}, {"reason", error.what()}});
    }
  }
  if (changes.empty()) {
    throw std::invalid_argument("none of the lights can do that: " +
                                std::string(skipped.front().at("reason").as_string()));
  }
  boost::json::array done;
  for (const auto& [light, change] : changes) {
    const std::vector<MqttMessage> messages = encode_light_change(*light, change);
    for (const MqttMessage& message : messages) publish_message(bus_, message);
    const LightState state = *update(
        *light, [&](const LightState& previous) { return state_after(previous, change); }, source);
    done.push_back(boost::json::object{
        {"light", light->name}, {"sent", sent_json(messages)}, {"state", to_json(state)}});
  }
  boost::json::object result{{"lights", std::move(done)}};
  if (!skipped.empty()) result["skipped"] = std::move(skipped);
  return result;
}

std::vector<std::string> MqttLights::lights() const {
  std::vector<std::string> names;
  for (const LightDefinition& light : lights_) names.push_back(light.name);
  return names;
}

std::optional<LightState> MqttLights::state(const std::string& light) const {
  const LightDefinition* definition = find_light(lights_, light);
  if (definition == nullptr) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto known = states_.find(definition->name);
  if (known == states_.end()) return std::nullopt;
  return known->second;
}

void MqttLights::set(const std::string& light, const LightState& state) {
  LightCommand command;
  command.light = light;
  command.on = state.on;
  if (state.on) {
    if (state.brightness) {
      if (*state.brightness < 0 || *state.brightness > 255) {
        throw std::invalid_argument("brightness " + std::to_string(*state.brightness) +
                                    " is out of range 0-255");
      }
      command.brightness_percent = static_cast<int>(std::lround(*state.brightness * 100.0 / 255));
    }
    if (state.color_hex) {
      command.color = color_from_text(*state.color_hex);
      if (!command.color) {
        throw std::invalid_argument("color '" + *state.color_hex + "' is not #rrggbb");
      }
    }
    if (state.color_temp_mireds) {
      if (*state.color_temp_mireds <= 0) {
        throw std::invalid_argument("color_temp_mireds must be positive");
      }
      command.color_temp_kelvin =
          static_cast<int>(std::lround(1'000'000.0 / *state.color_temp_mireds));
    }
  }
  apply(command, "light_controller");
}

void MqttLights::on_state_report(const LightDefinition& light, const EventPtr& event) {
  const boost::json::object* message = event->payload.if_object();
  if (message == nullptr || !message->contains("payload")) return;
  update(
      light,
      [&](const LightState& previous) {
        return read_state_report(light, message->at("payload"), previous);
      },
      "device");
}

std::optional<LightState> MqttLights::update(
    const LightDefinition& light,
    const std::function<std::optional<LightState>(const LightState&)>& next,
    std::string_view source) {
  std::optional<LightState> state;
  {
    std::lock_guard lock(mutex_);
    const auto known = states_.find(light.name);
    state = next(known == states_.end() ? LightState{} : known->second);
    if (!state) return std::nullopt;
    if (known == states_.end()) {
      states_.emplace(light.name, *state);
    } else if (same_state(known->second, *state)) {
      return state;  // echoes of our own command say nothing new
    } else {
      known->second = *state;
    }
  }
  bus_.publish(
      announce_topic_,
      boost::json::object{
          {"light", light.name}, {"state", to_json(*state)}, {"source", std::string(source)}},
      kEventSource);
  return state;
}

}  // namespace seer::agents
