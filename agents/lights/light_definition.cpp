#include <seer/agents/light_definition.hpp>
#include <seer/topic.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace seer::agents {
namespace {

constexpr int kLowestMireds = 50;     // 20,000 K: nothing real is cooler
constexpr int kHighestMireds = 1000;  // 1,000 K: candle light and below

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::optional<LightDialect> dialect_from_string(std::string_view text) {
  if (text == "zigbee2mqtt") return LightDialect::zigbee2mqtt;
  if (text == "home_assistant") return LightDialect::home_assistant;
  if (text == "tasmota") return LightDialect::tasmota;
  return std::nullopt;
}

// The schema's findings are errors here, unknown keys included: a misspelt key would
// otherwise silently leave a light half-configured.
void throw_first_diagnostic(const ConfigNode& item) {
  const std::vector<ConfigDiagnostic> diagnostics = light_definition_schema().validate(item);
  if (diagnostics.empty()) return;
  const ConfigDiagnostic& first = diagnostics.front();
  throw ConfigError(first.location, first.key_path, first.message);
}

std::string required_topic(const ConfigNode& item, const std::string& key, std::string_view why) {
  const ConfigNode node = item[key];
  if (!node.defined() || node.is_null())
    throw node.error("missing key '" + key + "': " + std::string(why));
  const std::string topic = node.as_string();
  if (!is_valid_topic(topic)) {
    throw node.error("invalid topic '" + topic + "' (no empty levels, no '+' or '#')");
  }
  return topic;
}

std::string optional_topic(const ConfigNode& item, const std::string& key) {
  if (!item[key].defined()) return {};
  return required_topic(item, key, "");
}

// Keys that mean something to one dialect only are mistakes elsewhere.
void refuse_keys(const ConfigNode& item, LightDialect dialect,
                 std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    const ConfigNode node = item[key];
    if (!node.defined()) continue;
    throw ConfigError(node.key_location(), node.key_path(),
                      "is not used by " + std::string(to_string(dialect)) + " lights");
  }
}

void read_topics(const ConfigNode& item, LightDefinition& light) {
  switch (light.dialect) {
    case LightDialect::zigbee2mqtt:
      refuse_keys(item, light.dialect, {"command_topic", "state_topic", "brightness_scale"});
      light.topic = required_topic(item, "topic",
                                   "a zigbee2mqtt light needs the device's topic, e.g. "
                                   "zigbee2mqtt/desk_lamp");
      if (light.topic.ends_with("/set")) {
        throw item["topic"].error("is the device's topic, without '/set' (commands go to '" +
                                  light.topic + "' by themselves)");
      }
      break;
    case LightDialect::home_assistant:
      refuse_keys(item, light.dialect, {"topic"});
      light.command_topic = required_topic(item, "command_topic",
                                           "a home_assistant light needs the topic its "
                                           "commands go to, e.g. home/ceiling/set");
      light.state_topic = optional_topic(item, "state_topic");
      light.brightness_scale = static_cast<int>(item["brightness_scale"].int_or(255));
      break;
    case LightDialect::tasmota:
      refuse_keys(item, light.dialect, {"command_topic", "state_topic", "brightness_scale"});
      light.topic = required_topic(item, "topic",
                                   "a tasmota light needs the device's topic, e.g. "
                                   "tasmota_1A2B3C");
      break;
  }
}

void read_supports(const ConfigNode& item, LightDefinition& light) {
  const ConfigNode supports = item["supports"];
  if (!supports.defined()) return;
  light.brightness = light.color = light.color_temp = false;
  for (const ConfigNode& feature : supports.items()) {
    const std::string name = feature.as_string();
    if (name == "brightness") {
      light.brightness = true;
    } else if (name == "color") {
      light.color = true;
    } else if (name == "color_temp") {
      light.color_temp = true;
    } else {
      throw feature.error("unknown light feature '" + name +
                          "' (expected brightness, color or color_temp)");
    }
  }
}

void read_mireds(const ConfigNode& item, LightDefinition& light) {
  light.mireds.min = static_cast<int>(item["min_mireds"].int_or(light.mireds.min));
  light.mireds.max = static_cast<int>(item["max_mireds"].int_or(light.mireds.max));
  if (light.mireds.min >= light.mireds.max) {
    throw item["max_mireds"].error("must be above min_mireds (" + std::to_string(light.mireds.min) +
                                   ")");
  }
}

LightDefinition read_light(const ConfigNode& item) {
  if (!item.is_map()) throw item.error("a light must be a map with at least name and dialect");
  throw_first_diagnostic(item);
  LightDefinition light;
  light.location = item.key_location();
  light.name = item["name"].as_string();
  if (light.name.empty()) throw item["name"].error("must not be empty");
  light.aliases =
      item["aliases"].defined() ? item["aliases"].as_string_list() : std::vector<std::string>{};
  const ConfigNode dialect = item["dialect"];
  const std::string dialect_name = dialect.as_string();
  const std::optional<LightDialect> parsed = dialect_from_string(dialect_name);
  if (!parsed) {
    throw dialect.error("unknown light dialect '" + dialect_name +
                        "' (expected zigbee2mqtt, home_assistant or tasmota)");
  }
  light.dialect = *parsed;
  read_topics(item, light);
  read_supports(item, light);
  read_mireds(item, light);
  return light;
}

// Names and aliases share one namespace (case-insensitive); "all" means every light.
void check_unique_names(const ConfigNode& item, const LightDefinition& light,
                        std::map<std::string, std::string>& owners) {
  std::vector<std::pair<std::string, ConfigNode>> names{{light.name, item["name"]}};
  const ConfigNode aliases = item["aliases"];
  for (std::size_t i = 0; i < light.aliases.size(); ++i) {
    names.emplace_back(light.aliases[i], aliases[i]);
  }
  for (const auto& [name, node] : names) {
    const std::string key = lower(name);
    if (key == "all") throw node.error("'all' is reserved: it means every light");
    if (key.empty()) throw node.error("must not be empty");
    const auto [owner, inserted] = owners.emplace(key, light.name);
    if (!inserted) {
      throw node.error("'" + name + "' already names the light '" + owner->second + "'");
    }
  }
}

}  // namespace

std::string_view to_string(LightDialect dialect) {
  switch (dialect) {
    case LightDialect::home_assistant:
      return "home_assistant";
    case LightDialect::tasmota:
      return "tasmota";
    case LightDialect::zigbee2mqtt:
      break;
  }
  return "zigbee2mqtt";
}

ConfigSchema light_definition_schema() {
  ConfigSchema schema;
  schema.required("name", ConfigType::string, "what the agent and the user call the light");
  schema.list_of("aliases", ConfigType::string, "other names for it");
  schema.required("dialect", ConfigType::string, "zigbee2mqtt, home_assistant or tasmota");
  schema.optional("topic", ConfigType::string,
                  "zigbee2mqtt: the device's topic; tasmota: the device's %topic%");
  schema.optional("command_topic", ConfigType::string, "home_assistant: where commands go");
  schema.optional("state_topic", ConfigType::string, "home_assistant: where state comes back",
                  "none");
  schema.add({.key = "brightness_scale",
              .type = ConfigType::integer,
              .description = "home_assistant: the light's full brightness",
              .default_text = "255",
              .minimum = 1,
              .maximum = 65535});
  schema.list_of("supports", ConfigType::string,
                 "what it can change besides on/off: brightness, color, color_temp");
  schema.add({.key = "min_mireds",
              .type = ConfigType::integer,
              .description = "its coolest colour temperature, in mireds",
              .default_text = "153",
              .minimum = kLowestMireds,
              .maximum = kHighestMireds});
  schema.add({.key = "max_mireds",
              .type = ConfigType::integer,
              .description = "its warmest colour temperature, in mireds",
              .default_text = "500",
              .minimum = kLowestMireds,
              .maximum = kHighestMireds});
  return schema;
}

std::vector<LightDefinition> read_light_definitions(const ConfigNode& list) {
  std::vector<LightDefinition> lights;
  if (!list.defined() || list.is_null()) return lights;
  if (!list.is_sequence()) throw list.error("must be a list of lights");
  std::map<std::string, std::string> owners;
  for (const ConfigNode& item : list.items()) {
    LightDefinition light = read_light(item);
    check_unique_names(item, light, owners);
    lights.push_back(std::move(light));
  }
  return lights;
}

const LightDefinition* find_light(const std::vector<LightDefinition>& lights,
                                  std::string_view name) {
  const std::string wanted = lower(name);
  for (const LightDefinition& light : lights) {
    if (lower(light.name) == wanted) return &light;
    for (const std::string& alias : light.aliases) {
      if (lower(alias) == wanted) return &light;
    }
  }
  return nullptr;
}

std::vector<std::string> state_report_topics(const LightDefinition& light) {
  switch (light.dialect) {
    case LightDialect::home_assistant:
      if (light.state_topic.empty()) return {};
      return {light.state_topic};
    case LightDialect::tasmota:
      return {"stat/" + light.topic + "/RESULT", "tele/" + light.topic + "/STATE"};
    case LightDialect::zigbee2mqtt:
      break;
  }
  return {light.topic};
}

}  // namespace seer::agents
