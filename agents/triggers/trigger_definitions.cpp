// Reading the `triggers:` list: one source per trigger, a known action, checked topics and
// conditions; every mistake is a ConfigError at the key that holds it.

#include <seer/agents/phrase_words.hpp>
#include <seer/agents/trigger_definition.hpp>
#include <seer/topic.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

namespace seer::agents {
namespace {

const std::vector<std::string> kItemKeys{"name",   "phrases", "mqtt",     "schedule", "motion",
                                         "action", "publish", "cooldown", "debounce"};
const std::vector<std::string> kSourceKeys{"phrases", "mqtt", "schedule", "motion"};

// An error pointing at the key rather than its value (unknown keys, a second source).
ConfigError key_error(const ConfigNode& node, std::string message) {
  return ConfigError(node.key_location(), node.key_path(), std::move(message));
}

std::string joined(const std::vector<std::string>& words, std::string_view last_separator) {
  std::string text;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) text += i + 1 == words.size() ? last_separator : std::string_view(", ");
    text += words[i];
  }
  return text;
}

void reject_unknown_keys(const ConfigNode& map, const std::vector<std::string>& known,
                         std::string_view where) {
  for (const auto& [key, child] : map.entries()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string message = "unknown key '" + key + "' in " + std::string(where) + " (expected " +
                          joined(known, " or ") + ")";
    const std::string suggestion = closest_match(key, known);
    if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
    throw key_error(child, message);
  }
}

void require_map(const ConfigNode& node, std::string_view example) {
  if (!node.is_map()) throw node.error("expected a map such as " + std::string(example));
}

bool is_trigger_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// "Look at me!" -> "look-at-me": a readable default name made of the source's own words.
std::string slug(std::string_view text) {
  std::string result;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '_') {
      result += static_cast<char>(std::tolower(byte));
    } else if (!result.empty() && result.back() != '-') {
      result += '-';
    }
  }
  while (!result.empty() && result.back() == '-') result.pop_back();
  return result;
}

std::string default_name(const TriggerDefinition& definition, std::size_t index) {
  std::string name;
  switch (definition.source) {
    case TriggerSource::phrase:
      name = slug(definition.phrases.front());
      break;
    case TriggerSource::mqtt:
      name = slug(definition.mqtt_topic);
      break;
    case TriggerSource::schedule:
      name = "schedule-" + definition.schedule;
      break;
    case TriggerSource::motion:
      name = "motion-" + slug(definition.camera);
      break;
  }
  return name.empty() ? "trigger-" + std::to_string(index + 1) : name;
}

void read_phrases(const ConfigNode& node, TriggerDefinition& definition) {
  if (!node.is_sequence() || node.size() == 0) {
    throw node.error("expected a list of phrases such as [look at me, how do I look]");
  }
  for (const ConfigNode& item : node.items()) {
    std::string phrase = item.as_string();
    std::vector<std::string> words;
    try {
      words = phrase_words(phrase);
    } catch (const std::invalid_argument& error) {
      throw item.error(error.what());
    }
    if (words.empty()) throw item.error("the phrase '" + phrase + "' has no words");
    definition.phrases.push_back(std::move(phrase));
  }
}

Condition read_condition(const ConfigNode& node) {
  try {
    return Condition::parse(node.as_string());
  } catch (const ConditionError& error) {
    throw node.error("invalid condition: " + std::string(error.what()));
  }
}

void read_mqtt(const ConfigNode& node, TriggerDefinition& definition) {
  require_map(node, "{topic: frigate/events, when: after.label == person}");
  reject_unknown_keys(node, {"topic", "when"}, "mqtt");
  const ConfigNode topic = node["topic"];
  if (!topic.defined()) throw topic.error("missing required key: the MQTT topic filter");
  definition.mqtt_topic = topic.as_string();
  const std::string problem = check_topic_filter(definition.mqtt_topic);
  if (!problem.empty()) {
    throw topic.error("invalid topic filter '" + definition.mqtt_topic + "': " + problem);
  }
  const ConfigNode when = node["when"];
  if (!when.defined() || when.is_null()) return;
  if (when.is_sequence()) {
    for (const ConfigNode& item : when.items()) {
      definition.conditions.push_back(read_condition(item));
    }
  } else {
    definition.conditions.push_back(read_condition(when));
  }
}

void read_schedule(const ConfigNode& node, TriggerDefinition& definition) {
  definition.schedule = node.as_string();
  if (!is_trigger_name(definition.schedule)) {
    throw node.error("expected the name of a clock schedule ([a-z0-9_-]+), got '" +
                     definition.schedule + "'");
  }
}

void read_motion(const ConfigNode& node, TriggerDefinition& definition) {
  ConfigNode camera = node;
  if (node.is_map()) {
    reject_unknown_keys(node, {"camera"}, "motion");
    camera = node["camera"];
    if (!camera.defined()) throw camera.error("missing required key: the camera instance");
  } else if (!node.is_scalar()) {
    throw node.error("expected a camera instance, or a map such as {camera: front_door}");
  }
  definition.camera = camera.as_string();
  if (!is_valid_topic(definition.camera) || definition.camera.find('/') != std::string::npos) {
    throw camera.error("expected a camera instance name (one topic level), got '" +
                       definition.camera + "'");
  }
}

PublishTarget read_publish(const ConfigNode& node) {
  require_map(node, "{topic: seer/sophia/report, qos: 1, retain: false}");
  reject_unknown_keys(node, {"topic", "qos", "retain"}, "publish");
  PublishTarget target;
  const ConfigNode topic = node["topic"];
  if (!topic.defined()) throw topic.error("missing required key: the MQTT topic to publish on");
  target.topic = topic.as_string();
  if (!is_valid_topic(target.topic)) {
    throw topic.error("expected a concrete MQTT topic (no '+' or '#'), got '" + target.topic + "'");
  }
  const ConfigNode qos = node["qos"];
  target.qos = static_cast<int>(qos.int_or(1));
  if (target.qos < 0 || target.qos > 2) throw qos.error("qos must be 0, 1 or 2");
  target.retain = node["retain"].bool_or(false);
  return target;
}

Duration read_duration(const ConfigNode& node) {
  const Duration value = node.duration_or(Duration::zero());
  if (value < Duration::zero()) throw node.error("must not be negative");
  return value;
}

std::string action_examples(const std::vector<std::string>& actions) {
  std::vector<std::string> examples;
  for (const std::string& action : actions) examples.push_back("`action: " + action + "`");
  return joined(examples, " or ");
}

void read_action(const ConfigNode& item, const std::vector<std::string>& actions,
                 TriggerDefinition& definition) {
  const ConfigNode action = item["action"];
  if (!action.defined() || action.is_null()) {
    throw action.error("trigger '" + definition.name + "' has no action: say what it does with " +
                       action_examples(actions));
  }
  definition.action = action.as_string();
  if (std::find(actions.begin(), actions.end(), definition.action) == actions.end()) {
    std::string message =
        "unknown action '" + definition.action + "' (expected " + joined(actions, " or ") + ")";
    const std::string suggestion = closest_match(definition.action, actions);
    if (!suggestion.empty()) message += "; did you mean '" + suggestion + "'?";
    throw action.error(message);
  }
}

// The one source key of a trigger, read into `definition`.
void read_source(const ConfigNode& item, TriggerDefinition& definition,
                 std::string_view display_name) {
  std::optional<std::pair<std::string, ConfigNode>> source;
  for (const auto& [key, child] : item.entries()) {
    if (std::find(kSourceKeys.begin(), kSourceKeys.end(), key) == kSourceKeys.end()) continue;
    if (source) {
      throw key_error(child, "trigger '" + std::string(display_name) + "' has two sources (`" +
                                 source->first + "` and `" + key +
                                 "`): a trigger has exactly one; write two triggers");
    }
    source.emplace(key, child);
  }
  if (!source) {
    throw key_error(item, "trigger '" + std::string(display_name) +
                              "' has no source: give it one of `phrases`, `mqtt`, `schedule` "
                              "or `motion`");
  }
  const auto& [key, node] = *source;
  if (key == "phrases") {
    definition.source = TriggerSource::phrase;
    read_phrases(node, definition);
  } else if (key == "mqtt") {
    definition.source = TriggerSource::mqtt;
    read_mqtt(node, definition);
  } else if (key == "schedule") {
    definition.source = TriggerSource::schedule;
    read_schedule(node, definition);
  } else {
    definition.source = TriggerSource::motion;
    read_motion(node, definition);
  }
}

}  // namespace

std::string_view to_string(TriggerSource source) {
  switch (source) {
    case TriggerSource::phrase:
      return "phrase";
    case TriggerSource::mqtt:
      return "mqtt";
    case TriggerSource::schedule:
      return "schedule";
    case TriggerSource::motion:
      return "motion";
  }
  return "unknown";
}

std::vector<TriggerDefinition> read_trigger_definitions(const ConfigNode& list,
                                                        const std::vector<std::string>& actions) {
  std::vector<TriggerDefinition> definitions;
  if (!list.defined() || list.is_null()) return definitions;
  if (!list.is_sequence()) throw list.error("expected a list of triggers");
  std::map<std::string, int> lines_by_name;  // for "first used at line N"
  const std::vector<ConfigNode> items = list.items();
  for (std::size_t index = 0; index < items.size(); ++index) {
    const ConfigNode& item = items[index];
    require_map(item, "{phrases: [look at me], action: look}");
    reject_unknown_keys(item, kItemKeys, "a trigger");
    TriggerDefinition definition;
    definition.location = item.key_location();
    const ConfigNode name = item["name"];
    if (name.defined()) {
      definition.name = name.as_string();
      if (!is_trigger_name(definition.name)) {
        throw name.error("expected a trigger name made of a-z, 0-9, '_' and '-', got '" +
                         definition.name + "'");
      }
      if (const auto first = lines_by_name.find(definition.name); first != lines_by_name.end()) {
        throw name.error("duplicate trigger name '" + definition.name + "' (first used at line " +
                         std::to_string(first->second) + ")");
      }
    }
    read_source(item, definition,
                definition.name.empty() ? "#" + std::to_string(index + 1) : definition.name);
    if (definition.name.empty()) {
      const std::string base = default_name(definition, index);
      definition.name = base;
      for (int suffix = 2; lines_by_name.contains(definition.name); ++suffix) {
        definition.name = base + "-" + std::to_string(suffix);
      }
    }
    lines_by_name.emplace(definition.name, definition.location.line);
    read_action(item, actions, definition);
    if (item["publish"].defined()) definition.publish = read_publish(item["publish"]);
    definition.cooldown = read_duration(item["cooldown"]);
    const ConfigNode debounce = item["debounce"];
    definition.debounce = read_duration(debounce);
    if (definition.debounce > Duration::zero() && definition.source != TriggerSource::mqtt &&
        definition.source != TriggerSource::motion) {
      throw debounce.error("debounce applies to mqtt and motion triggers only (a " +
                           std::string(to_string(definition.source)) +
                           " has no state that could hold)");
    }
    definitions.push_back(std::move(definition));
  }
  return definitions;
}

}  // namespace seer::agents
