#pragma once
// Configuration: YAML documents read with yaml-cpp, with `${VAR}` / `${VAR:-default}`
// substitution in scalars, `!include path.yaml` for values kept in other files, and
// locations (file, line, column, key path) on every node so errors can point at them.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace YAML {
class Node;
}

namespace seer {

using Duration = std::chrono::milliseconds;

// 1-based line and column.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

// what() reads "file:line:col: key 'a.b[2].c': message".
class ConfigError : public std::runtime_error {
 public:
  ConfigError(SourceLocation location, std::string key_path, std::string message);
  const SourceLocation& location() const { return location_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& message() const { return message_; }

 private:
  SourceLocation location_;
  std::string key_path_;
  std::string message_;
};

// A node of a loaded configuration. Cheap to copy; children know their file and key path.
// Reading a missing key gives an undefined node whose location is its parent's.
class ConfigNode {
 public:
  ConfigNode();
  ~ConfigNode();
  ConfigNode(const ConfigNode&);
  ConfigNode& operator=(const ConfigNode&);

  // Throws ConfigError for unreadable files and YAML syntax errors.
  static ConfigNode load_file(const std::filesystem::path& path);
  static ConfigNode load_string(std::string_view text, std::string source_name);

  bool defined() const;
  bool is_null() const;
  bool is_scalar() const;
  bool is_sequence() const;
  bool is_map() const;

  const std::string& key_path() const;
  // Where the value is written (where its key is, for empty values and block maps or lists).
  SourceLocation location() const;
  // Where this node's key (or list item's dash) is written; the parent's location when absent.
  SourceLocation key_location() const;

  ConfigNode operator[](std::string_view key) const;
  ConfigNode operator[](std::size_t index) const;
  std::size_t size() const;
  // Map entries in file order.
  std::vector<std::pair<std::string, ConfigNode>> entries() const;
  std::vector<ConfigNode> items() const;

  // Scalars after environment substitution. Each throws ConfigError naming the node when
  // the value has the wrong type or an unset variable has no default.
  std::string as_string() const;
  bool as_bool() const;
  std::int64_t as_int() const;
  double as_double() const;
  // "250ms", "2s", "1.5m", "1h", "1d"; a bare number means seconds.
  Duration as_duration() const;
  std::vector<std::string> as_string_list() const;

  std::string string_or(std::string fallback) const;
  bool bool_or(bool fallback) const;
  std::int64_t int_or(std::int64_t fallback) const;
  double double_or(double fallback) const;
  Duration duration_or(Duration fallback) const;

  // An error located at this node.
  ConfigError error(std::string message) const;

 private:
  struct Impl;
  explicit ConfigNode(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// `any`: validated by whoever reads it (list items that may be a path or an inline map).
enum class ConfigType { string, boolean, integer, number, duration, list, map, object, any };

class ConfigSchema;

// One key a schema accepts.
struct ConfigField {
  std::string key;
  ConfigType type = ConfigType::string;
  std::string description;
  bool required = false;
  std::string default_text;          // shown in docs and `seer plugins --verbose`
  std::vector<std::string> choices;  // for strings: the accepted values
  std::optional<double> minimum;     // for integers, numbers and durations (in seconds)
  std::optional<double> maximum;
  ConfigType item_type = ConfigType::string;   // for lists
  std::shared_ptr<const ConfigSchema> nested;  // for objects and lists of objects
};

struct ConfigDiagnostic {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  SourceLocation location;
  std::string key_path;
  std::string message;
  // "file:line:col: error: key 'a.b': message"
  std::string to_string() const;
};

// The keys a configuration section accepts. Unknown keys are warnings with a
// "did you mean" suggestion; everything else that does not fit is an error.
class ConfigSchema {
 public:
  ConfigSchema& add(ConfigField field);
  ConfigSchema& optional(std::string key, ConfigType type, std::string description,
                         std::string default_text = {});
  ConfigSchema& required(std::string key, ConfigType type, std::string description);
  ConfigSchema& choice(std::string key, std::vector<std::string> choices, std::string description,
                       std::string default_text);
  ConfigSchema& object(std::string key, ConfigSchema nested, std::string description);
  ConfigSchema& list_of(std::string key, ConfigSchema item, std::string description);
  ConfigSchema& list_of(std::string key, ConfigType item_type, std::string description);
  // Accept keys not listed (for sections that are free-form maps).
  ConfigSchema& allow_unknown_keys(bool allow = true);

  const std::vector<ConfigField>& fields() const { return fields_; }
  const ConfigField* find(std::string_view key) const;

  // All diagnostics for `node`, errors and warnings, in document order.
  std::vector<ConfigDiagnostic> validate(const ConfigNode& node) const;

 private:
  std::vector<ConfigField> fields_;
  bool allow_unknown_keys_ = false;
};

std::string_view to_string(ConfigType type);

// The closest candidate within a small edit distance, or empty.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace seer
