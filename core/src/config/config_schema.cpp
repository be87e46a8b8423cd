// ConfigSchema: checks a configuration section against the keys it accepts.

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <seer/config.hpp>

namespace seer {
namespace {

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

std::string joined(const std::vector<std::string>& words, std::string_view separator) {
  std::string result;
  for (const auto& word : words) {
    if (!result.empty()) result += separator;
    result += word;
  }
  return result;
}

std::string lowercase(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

ConfigField make_field(std::string key, ConfigType type, std::string description) {
  ConfigField field;
  field.key = std::move(key);
  field.type = type;
  field.description = std::move(description);
  return field;
}

// Walks a node against one schema, collecting diagnostics in document order. Nested schemas
// validate their own maps, since each knows whether it takes unknown keys.
class Validator {
 public:
  explicit Validator(bool allow_unknown_keys) : allow_unknown_keys_(allow_unknown_keys) {}

  void check_map(const ConfigNode& node, const ConfigSchema& schema) {
    std::vector<std::pair<std::string, ConfigNode>> entries;
    try {
      entries = node.entries();
    } catch (const ConfigError& error) {
      add_error(error);
      return;
    }
    // Missing keys are located at the map itself, which comes before its entries.
    for (const ConfigField& field : schema.fields()) {
      if (!field.required) continue;
      const ConfigNode value = node[field.key];
      if (!value.defined()) {
        add(ConfigDiagnostic::Severity::error, value, "missing required key");
      } else if (value.is_null()) {
        add(ConfigDiagnostic::Severity::error, value, "required key has no value");
      }
    }
    for (const auto& [key, value] : entries) {
      const ConfigField* field = schema.find(key);
      if (field != nullptr) {
        if (!value.is_null()) check_value(value, field->type, *field);
      } else if (!allow_unknown_keys_) {
        // Pointed at the key itself: that is what is misspelt.
        diagnostics_.push_back({ConfigDiagnostic::Severity::warning, value.key_location(),
                                value.key_path(), unknown_key_message(key, schema)});
      }
    }
  }

  std::vector<ConfigDiagnostic> take() { return std::move(diagnostics_); }

 private:
  static std::string unknown_key_message(const std::string& key, const ConfigSchema& schema) {
    std::vector<std::string> known;
    for (const ConfigField& field : schema.fields()) known.push_back(field.key);
    std::string message = "unknown key '" + key + "'";
    const std::string suggestion = closest_match(key, known);
    if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
    return message;
  }

  // `type` is the field's own type, or its item type for list items.
  void check_value(const ConfigNode& node, ConfigType type, const ConfigField& field) {
    try {
      switch (type) {
        case ConfigType::string:
          check_choice(node, node.as_string(), field);
          break;
        case ConfigType::boolean:
          node.as_bool();
          break;
        case ConfigType::integer:
          check_range(node, static_cast<double>(node.as_int()), field, "");
          break;
        case ConfigType::number:
          check_range(node, node.as_double(), field, "");
          break;
        case ConfigType::duration:
          check_range(node, static_cast<double>(node.as_duration().count()) / 1000.0, field, "s");
          break;
        case ConfigType::list:
          check_list(node, field);
          break;
        case ConfigType::map:
          check_free_map(node, field);
          break;
        case ConfigType::object:
          if (field.nested) {
            check_nested(node, *field.nested);
          } else {
            node.entries();
          }
          break;
        case ConfigType::any:
          break;
      }
    } catch (const ConfigError& error) {
      add_error(error);
    }
  }

  void check_list(const ConfigNode& node, const ConfigField& field) {
    for (const ConfigNode& item : node.items()) {
      if (field.nested &&
          (field.item_type == ConfigType::object || field.item_type == ConfigType::map)) {
        check_nested(item, *field.nested);
      } else {
        check_value(item, field.item_type, field);
      }
    }
  }

  // A map of any keys; with a nested schema, every value is an object of that schema.
  void check_free_map(const ConfigNode& node, const ConfigField& field) {
    const auto entries = node.entries();
    if (!field.nested) return;
    for (const auto& entry : entries) check_nested(entry.second, *field.nested);
  }

  void check_nested(const ConfigNode& node, const ConfigSchema& schema) {
    std::vector<ConfigDiagnostic> found = schema.validate(node);
    diagnostics_.insert(diagnostics_.end(), std::make_move_iterator(found.begin()),
                        std::make_move_iterator(found.end()));
  }

  void check_choice(const ConfigNode& node, const std::string& value, const ConfigField& field) {
    const auto& choices = field.choices;
    if (choices.empty() || std::find(choices.begin(), choices.end(), value) != choices.end()) {
      return;
    }
    add(ConfigDiagnostic::Severity::error, node, "must be one of: " + joined(choices, ", "));
  }

  void check_range(const ConfigNode& node, double value, const ConfigField& field,
                   std::string_view unit) {
    if (field.minimum && value < *field.minimum) {
      add(ConfigDiagnostic::Severity::error, node,
          "must be at least " + format_number(*field.minimum) + std::string(unit));
    }
    if (field.maximum && value > *field.maximum) {
      add(ConfigDiagnostic::Severity::error, node,
          "must be at most " + format_number(*field.maximum) + std::string(unit));
    }
  }

  void add(ConfigDiagnostic::Severity severity, const ConfigNode& node, std::string message) {
    diagnostics_.push_back({severity, node.location(), node.key_path(), std::move(message)});
  }

  void add_error(const ConfigError& error) {
    diagnostics_.push_back(
        {ConfigDiagnostic::Severity::error, error.location(), error.key_path(), error.message()});
  }

  bool allow_unknown_keys_;
  std::vector<ConfigDiagnostic> diagnostics_;
};

}  // namespace

std::string ConfigDiagnostic::to_string() const {
  std::string text = location.file;
  if (location.line > 0) {
    text += ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
  }
  text += severity == Severity::error ? ": error: " : ": warning: ";
  if (!key_path.empty()) text += "key '" + key_path + "': ";
  return text + message;
}

std::string_view to_string(ConfigType type) {
  switch (type) {
    case ConfigType::string:
      return "string";
    case ConfigType::boolean:
      return "boolean";
    case ConfigType::integer:
      return "integer";
    case ConfigType::number:
      return "number";
    case ConfigType::duration:
      return "duration";
    case ConfigType::list:
      return "list";
    case ConfigType::map:
      return "map";
    case ConfigType::object:
      return "object";
    case ConfigType::any:
      return "any";
  }
  return "unknown";
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Short words allow fewer edits, or every short key would look like every other.
  const std::size_t allowed = word.size() <= 3 ? 1 : word.size() <= 6 ? 2 : 3;
  const std::string lowered = lowercase(word);
  std::string best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(lowered, lowercase(candidate));
    // Replacing every character is no match, however short the words.
    if (distance >= std::max(word.size(), candidate.size())) continue;
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

ConfigSchema& ConfigSchema::add(ConfigField field) {
  // A later field replaces one with the same key: the runtime adds its keys to plugins' schemas.
  const auto existing = std::find_if(fields_.begin(), fields_.end(),
                                     [&](const ConfigField& f) { return f.key == field.key; });
  if (existing != fields_.end()) {
    *existing = std::move(field);
  } else {
    fields_.push_back(std::move(field));
  }
  return *this;
}

ConfigSchema& ConfigSchema::optional(std::string key, ConfigType type, std::string description,
                                     std::string default_text) {
  ConfigField field = make_field(std::move(key), type, std::move(description));
  field.default_text = std::move(default_text);
  return add(std::move(field));
}

ConfigSchema& ConfigSchema::required(std::string key, ConfigType type, std::string description) {
  ConfigField field = make_field(std::move(key), type, std::move(description));
  field.required = true;
  return add(std::move(field));
}

ConfigSchema& ConfigSchema::choice(std::string key, std::vector<std::string> choices,
                                   std::string description, std::string default_text) {
  ConfigField field = make_field(std::move(key), ConfigType::string, std::move(description));
  field.choices = std::move(choices);
  field.default_text = std::move(default_text);
  return add(std::move(field));
}

ConfigSchema& ConfigSchema::object(std::string key, ConfigSchema nested, std::string description) {
  ConfigField field = make_field(std::move(key), ConfigType::object, std::move(description));
  field.nested = std::make_shared<const ConfigSchema>(std::move(nested));
  return add(std::move(field));
}

ConfigSchema& ConfigSchema::list_of(std::string key, ConfigSchema item, std::string description) {
  ConfigField field = make_field(std::move(key), ConfigType::list, std::move(description));
  field.item_type = ConfigType::object;
  field.nested = std::make_shared<const ConfigSchema>(std::move(item));
  return add(std::move(field));
}

ConfigSchema& ConfigSchema::list_of(std::string key, ConfigType item_type,
                                    std::string description) {
  ConfigField field = make_field(std::move(key), ConfigType::list, std::move(description));
  field.item_type = item_type;
  return add(std::move(field));
}

ConfigSchema& ConfigSchema::allow_unknown_keys(bool allow) {
  allow_unknown_keys_ = allow;
  return *this;
}

const ConfigField* ConfigSchema::find(std::string_view key) const {
  const auto found = std::find_if(fields_.begin(), fields_.end(),
                                  [&](const ConfigField& f) { return f.key == key; });
  return found == fields_.end() ? nullptr : &*found;
}

std::vector<ConfigDiagnostic> ConfigSchema::validate(const ConfigNode& node) const {
  Validator validator(allow_unknown_keys_);
  validator.check_map(node, *this);
  return validator.take();
}

}  // namespace seer
