// ConfigNode: YAML text read with yaml-cpp into an immutable tree with `!include` resolved,
// every value remembering the file, line and column it came from.

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <fstream>
#include <seer/config.hpp>
#include <sstream>
#include <system_error>
#include <unordered_map>

#include "config/env_substitution.hpp"
#include "config/key_path.hpp"
#include "config/syntax_error_key.hpp"
#include "config/yaml_documents.hpp"

namespace seer {
namespace {

namespace fs = std::filesystem;
using config::join_index;
using config::join_key;
using config::join_paths;

constexpr std::string_view kIncludeTag = "!include";
constexpr std::string_view kStandardTagPrefix = "tag:yaml.org,2002:";
constexpr std::string_view kDurationMessage = "expected a duration such as 500ms, 2s, 1m";

// ---------------------------------------------------------------------------------------------
// The loaded tree.

struct TreeNode;
using TreePtr = std::shared_ptr<const TreeNode>;

// A map entry or a sequence item, and where it was written.
struct TreeChild {
  std::string key;  // empty for sequence items
  SourceLocation location;
  TreePtr node;
  SourceLocation key_location;  // where the key (or the item's dash) is written
};

// One YAML value with includes resolved. Scalars keep their text before env substitution.
struct TreeNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string scalar;
  std::vector<TreeChild> children;
};

SourceLocation location_of(const YAML::Mark& mark, const std::string& file) {
  // yaml-cpp counts from 0, and uses -1 where it has no position (an empty document).
  return {file, std::max(mark.line, 0) + 1, std::max(mark.column, 0) + 1};
}

// ---------------------------------------------------------------------------------------------
// Describing values in messages.

std::string quote_for_message(std::string_view text) {
  constexpr std::size_t kMaxShown = 60;
  std::size_t shown_size = std::min(text.size(), kMaxShown);
  // Cut before a UTF-8 continuation byte so the message stays valid text.
  while (shown_size > 0 && shown_size < text.size() &&
         (static_cast<unsigned char>(text[shown_size]) & 0xC0) == 0x80) {
    --shown_size;
  }
  std::string result = "'";
  for (char c : text.substr(0, shown_size)) {
    if (c == '\n') {
      result += "\\n";
    } else if (c == '\t') {
      result += "\\t";
    } else {
      result += c;
    }
  }
  if (shown_size < text.size()) result += "...";
  return result + "'";
}

// A scalar's value, and the text it was substituted from when that differs.
std::string describe_value(std::string_view value, std::string_view raw) {
  std::string text = quote_for_message(value);
  if (value != raw) text += " (from " + quote_for_message(raw) + ")";
  return text;
}

std::string describe(const TreeNode& tree) {
  switch (tree.kind) {
    case TreeNode::Kind::null:
      return "an empty value";
    case TreeNode::Kind::scalar:
      return quote_for_message(tree.scalar);
    case TreeNode::Kind::sequence:
      return "a list";
    case TreeNode::Kind::map:
      return "a map";
  }
  return "a value";
}

// ---------------------------------------------------------------------------------------------
// Reading files.

// Why a file could not be read, e.g. "file not found".
struct UnreadableFile {
  std::string reason;
};

std::string read_text(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(path, error)) throw UnreadableFile{"file not found"};
  if (fs::is_directory(path, error)) throw UnreadableFile{"is a directory"};
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) {
    throw UnreadableFile{errno != 0 ? std::generic_category().message(errno) : "cannot be read"};
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw UnreadableFile{"cannot be read"};
  return text.str();
}

// The same file under any spelling of its path, for finding include cycles.
fs::path identity_of(const fs::path& path) {
  std::error_code error;
  fs::path canonical = fs::weakly_canonical(path, error);
  if (!error) return canonical;
  fs::path absolute = fs::absolute(path, error);
  return error ? path.lexically_normal() : absolute.lexically_normal();
}

// ---------------------------------------------------------------------------------------------
// Building the tree from yaml-cpp nodes.

// A document's root and where it starts.
struct LoadedDocument {
  TreePtr root;
  SourceLocation location;
};

// The document being converted.
struct Source {
  std::string_view text;
  const std::string& file;
};

// Loads documents and the documents they include, tracking the include chain.
class DocumentLoader {
 public:
  // `key_path` is where the document's root sits in the whole configuration.
  LoadedDocument load(const std::string& text, const std::string& file,
                      const std::string& key_path) {
    open_.push_back({identity_of(file), file});
    config::YamlDocuments documents;
    try {
      documents = config::read_yaml_documents(text);
    } catch (const YAML::Exception& error) {
      throw ConfigError(location_of(error.mark, file),
                        join_paths(key_path, config::key_path_near(text, error.mark.line)),
                        "YAML syntax error: " + error.msg);
    }
    if (documents.count > 1) {
      throw ConfigError(location_of(documents.second, file), key_path,
                        "expected one YAML document, found " + std::to_string(documents.count));
    }
    const YAML::Node root = documents.first;
    const Source source{text, file};
    TreeChild child = convert_child({}, location_of(root.Mark(), file), root, key_path, source);
    open_.pop_back();
    return {std::move(child.node), std::move(child.location)};
  }

 private:
  struct OpenFile {
    fs::path identity;
    std::string file;
  };

  TreeChild convert_child(std::string key, SourceLocation location, const YAML::Node& node,
                          const std::string& key_path, const Source& source) {
    if (node.Tag() == kIncludeTag) {
      LoadedDocument included = include(node, key_path, source);
      return {std::move(key), std::move(included.location), std::move(included.root)};
    }
    return {std::move(key), std::move(location), convert(node, key_path, source)};
  }

  TreePtr convert(const YAML::Node& node, const std::string& key_path, const Source& source) {
    check_tag(node, key_path, source);
    auto tree = std::make_shared<TreeNode>();
    switch (node.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        break;
      case YAML::NodeType::Scalar:
        check_quote_closed(node, key_path, source);
        tree->kind = TreeNode::Kind::scalar;
        tree->scalar = node.Scalar();
        break;
      case YAML::NodeType::Sequence:
        tree->kind = TreeNode::Kind::sequence;
        for (const YAML::Node& item : node) {
          const std::string path = join_index(key_path, tree->children.size());
          const SourceLocation item_location = location_of(item.Mark(), source.file);
          TreeChild child = convert_child({}, item_location, item, path, source);
          child.key_location = item_location;
          tree->children.push_back(std::move(child));
        }
        break;
      case YAML::NodeType::Map:
        tree->kind = TreeNode::Kind::map;
        convert_entries(node, key_path, source, *tree);
        break;
    }
    return tree;
  }

  void convert_entries(const YAML::Node& node, const std::string& key_path, const Source& source,
                       TreeNode& tree) {
    std::unordered_map<std::string, int> first_lines;
    for (const auto& entry : node) {
      const SourceLocation key_location = location_of(entry.first.Mark(), source.file);
      if (!entry.first.IsScalar()) {
        throw ConfigError(key_location, key_path, "map keys must be plain values");
      }
      const std::string& key = entry.first.Scalar();
      const std::string path = join_key(key_path, key);
      const auto [first, inserted] = first_lines.emplace(key, key_location.line);
      if (!inserted) {
        throw ConfigError(
            key_location, path,
            "duplicate key (first defined at line " + std::to_string(first->second) + ")");
      }
      // Scalars are located where they are written. Empty values have no position of their
      // own, and a block map or list starts on the line after its key, so those use the key.
      const SourceLocation location =
          entry.second.IsScalar() ? location_of(entry.second.Mark(), source.file) : key_location;
      TreeChild child = convert_child(key, location, entry.second, path, source);
      child.key_location = key_location;
      tree.children.push_back(std::move(child));
    }
  }

  LoadedDocument include(const YAML::Node& node, const std::string& key_path,
                         const Source& source) {
    const SourceLocation location = location_of(node.Mark(), source.file);
    if (!node.IsScalar() || node.Scalar().empty()) {
      throw ConfigError(location, key_path,
                        "!include expects a file path, e.g. !include plugins/clock.yaml");
    }
    std::string target;
    try {
      target = config::substitute_env(node.Scalar());
    } catch (const config::EnvSubstitutionError& error) {
      throw ConfigError(location, key_path, error.what());
    }
    const fs::path path = (fs::path(source.file).parent_path() / target).lexically_normal();
    const std::string file = path.string();
    const fs::path identity = identity_of(path);
    const auto open = std::find_if(open_.begin(), open_.end(),
                                   [&](const OpenFile& f) { return f.identity == identity; });
    if (open != open_.end()) {
      std::string chain;
      for (auto link = open; link != open_.end(); ++link) chain += link->file + " -> ";
      throw ConfigError(location, key_path, "include cycle: " + chain + file);
    }
    std::string text;
    try {
      text = read_text(path);
    } catch (const UnreadableFile& error) {
      throw ConfigError(location, key_path, "cannot include '" + file + "': " + error.reason);
    }
    return load(text, file, key_path);
  }

  static void check_tag(const YAML::Node& node, const std::string& key_path, const Source& source) {
    const std::string& tag = node.Tag();
    // "?" marks plain values, "!" quoted ones; standard `!!` tags are left to yaml-cpp.
    if (tag.empty() || tag == "?" || tag == "!" || tag.starts_with(kStandardTagPrefix)) return;
    throw ConfigError(location_of(node.Mark(), source.file), key_path,
                      "unknown tag '" + tag + "' (the only tag seer reads is !include)");
  }

  static void check_quote_closed(const YAML::Node& node, const std::string& key_path,
                                 const Source& source) {
    const YAML::Mark mark = node.Mark();
    if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= source.text.size()) return;
    const auto opening = static_cast<std::size_t>(mark.pos);
    const char quote = source.text[opening];
    if (quote != '"' && quote != '\'') return;
    if (config::has_closing_quote(source.text, opening)) return;
    throw ConfigError(location_of(mark, source.file), key_path,
                      std::string("YAML syntax error: missing closing ") + quote);
  }

  std::vector<OpenFile> open_;  // the include chain, outermost first
};

// ---------------------------------------------------------------------------------------------
// Scalar conversions.

std::string lowercase(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::optional<bool> parse_bool(std::string_view text) {
  const std::string word = lowercase(text);
  if (word == "true" || word == "yes" || word == "on") return true;
  if (word == "false" || word == "no" || word == "off") return false;
  return std::nullopt;
}

// from_chars takes no '+'; YAML writers sometimes do.
std::string_view without_plus(std::string_view text) {
  if (text.starts_with('+') && !text.substr(1).starts_with('-')) text.remove_prefix(1);
  return text;
}

std::optional<double> parse_finite_double(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<Duration> parse_duration(std::string_view text) {
  const std::size_t unit_start = std::min(text.find_first_not_of("0123456789."), text.size());
  const std::string_view number = text.substr(0, unit_start);
  const std::string_view unit = text.substr(unit_start);
  if (std::count(number.begin(), number.end(), '.') > 1) return std::nullopt;
  const std::optional<double> value = parse_finite_double(number);
  if (!value) return std::nullopt;
  double milliseconds_per_unit = 0;
  if (unit.empty() || unit == "s") {
    milliseconds_per_unit = 1000;
  } else if (unit == "ms") {
    milliseconds_per_unit = 1;
  } else if (unit == "m") {
    milliseconds_per_unit = 60 * 1000;
  } else if (unit == "h") {
    milliseconds_per_unit = 60 * 60 * 1000;
  } else if (unit == "d") {
    milliseconds_per_unit = 24 * 60 * 60 * 1000;
  } else {
    return std::nullopt;
  }
  // Far beyond any sensible timeout, and well inside what Duration holds.
  constexpr double kMaxMilliseconds = 1e15;
  const double milliseconds = *value * milliseconds_per_unit;
  if (milliseconds > kMaxMilliseconds) return std::nullopt;
  return Duration(std::llround(milliseconds));
}

// The scalar after env substitution; throws naming `expected` when the node is no scalar.
std::string substituted_scalar(const ConfigNode& node, const TreeNode* tree,
                               std::string_view expected) {
  if (tree == nullptr) throw node.error("missing required key");
  if (tree->kind != TreeNode::Kind::scalar) {
    throw node.error("expected " + std::string(expected) + ", got " + describe(*tree));
  }
  try {
    return config::substitute_env(tree->scalar);
  } catch (const config::EnvSubstitutionError& error) {
    throw node.error(error.what());
  }
}

std::string format_error(const SourceLocation& location, const std::string& key_path,
                         const std::string& message) {
  std::string text = location.file;
  // Line 0 means the whole file, e.g. one that could not be read.
  if (location.line > 0) {
    text += ":" + std::to_string(location.line) + ":" + std::to_string(location.column);
  }
  text += ": ";
  if (!key_path.empty()) text += "key '" + key_path + "': ";
  return text + message;
}

}  // namespace

// -----------------------------------------------------------------------------------------------
// ConfigError

ConfigError::ConfigError(SourceLocation location, std::string key_path, std::string message)
    : std::runtime_error(format_error(location, key_path, message)),
      location_(std::move(location)),
      key_path_(std::move(key_path)),
      message_(std::move(message)) {}

// -----------------------------------------------------------------------------------------------
// ConfigNode

struct ConfigNode::Impl {
  TreePtr tree;  // null for a key or index that is not there
  std::string key_path;
  SourceLocation location;
  SourceLocation key_location;
};

ConfigNode::ConfigNode() : impl_(std::make_shared<const Impl>()) {}
ConfigNode::~ConfigNode() = default;
ConfigNode::ConfigNode(const ConfigNode&) = default;
ConfigNode& ConfigNode::operator=(const ConfigNode&) = default;
ConfigNode::ConfigNode(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

ConfigNode ConfigNode::load_file(const std::filesystem::path& path) {
  const std::string file = path.lexically_normal().string();
  std::string text;
  try {
    text = read_text(path);
  } catch (const UnreadableFile& error) {
    throw ConfigError({file, 0, 0}, {}, "cannot load configuration: " + error.reason);
  }
  LoadedDocument document = DocumentLoader().load(text, file, {});
  return ConfigNode(std::make_shared<const Impl>(
      Impl{std::move(document.root), {}, document.location, document.location}));
}

ConfigNode ConfigNode::load_string(std::string_view text, std::string source_name) {
  LoadedDocument document = DocumentLoader().load(std::string(text), source_name, {});
  return ConfigNode(std::make_shared<const Impl>(
      Impl{std::move(document.root), {}, document.location, document.location}));
}

bool ConfigNode::defined() const { return impl_->tree != nullptr; }

bool ConfigNode::is_null() const { return defined() && impl_->tree->kind == TreeNode::Kind::null; }

bool ConfigNode::is_scalar() const {
  return defined() && impl_->tree->kind == TreeNode::Kind::scalar;
}

bool ConfigNode::is_sequence() const {
  return defined() && impl_->tree->kind == TreeNode::Kind::sequence;
}

bool ConfigNode::is_map() const { return defined() && impl_->tree->kind == TreeNode::Kind::map; }

const std::string& ConfigNode::key_path() const { return impl_->key_path; }

SourceLocation ConfigNode::location() const { return impl_->location; }

SourceLocation ConfigNode::key_location() const { return impl_->key_location; }

ConfigNode ConfigNode::operator[](std::string_view key) const {
  std::string path = join_key(impl_->key_path, key);
  if (is_map()) {
    for (const TreeChild& child : impl_->tree->children) {
      if (child.key == key) {
        return ConfigNode(std::make_shared<const Impl>(
            Impl{child.node, path, child.location, child.key_location}));
      }
    }
  } else if (defined() && !is_null()) {
    throw error("expected map, got " + describe(*impl_->tree));
  }
  return ConfigNode(
      std::make_shared<const Impl>(Impl{nullptr, path, impl_->location, impl_->location}));
}

ConfigNode ConfigNode::operator[](std::size_t index) const {
  std::string path = join_index(impl_->key_path, index);
  if (is_sequence()) {
    const auto& children = impl_->tree->children;
    if (index < children.size()) {
      const TreeChild& child = children[index];
      return ConfigNode(
          std::make_shared<const Impl>(Impl{child.node, path, child.location, child.key_location}));
    }
  } else if (defined() && !is_null()) {
    throw error("expected list, got " + describe(*impl_->tree));
  }
  return ConfigNode(
      std::make_shared<const Impl>(Impl{nullptr, path, impl_->location, impl_->location}));
}

std::size_t ConfigNode::size() const {
  return is_map() || is_sequence() ? impl_->tree->children.size() : 0;
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::entries() const {
  std::vector<std::pair<std::string, ConfigNode>> result;
  if (!defined() || is_null()) return result;
  if (!is_map()) throw error("expected map, got " + describe(*impl_->tree));
  result.reserve(impl_->tree->children.size());
  for (const TreeChild& child : impl_->tree->children) {
    result.emplace_back(child.key, ConfigNode(std::make_shared<const Impl>(
                                       Impl{child.node, join_key(impl_->key_path, child.key),
                                            child.location, child.key_location})));
  }
  return result;
}

std::vector<ConfigNode> ConfigNode::items() const {
  std::vector<ConfigNode> result;
  if (!defined() || is_null()) return result;
  if (!is_sequence()) throw error("expected list, got " + describe(*impl_->tree));
  const auto& children = impl_->tree->children;
  result.reserve(children.size());
  for (std::size_t i = 0; i < children.size(); ++i) {
    result.push_back(ConfigNode(
        std::make_shared<const Impl>(Impl{children[i].node, join_index(impl_->key_path, i),
                                          children[i].location, children[i].key_location})));
  }
  return result;
}

std::string ConfigNode::as_string() const {
  return substituted_scalar(*this, impl_->tree.get(), "string");
}

bool ConfigNode::as_bool() const {
  const std::string text = substituted_scalar(*this, impl_->tree.get(), "boolean");
  const std::optional<bool> value = parse_bool(text);
  if (!value) throw error("expected boolean, got " + describe_value(text, impl_->tree->scalar));
  return *value;
}

std::int64_t ConfigNode::as_int() const {
  const std::string text = substituted_scalar(*this, impl_->tree.get(), "integer");
  const std::string_view digits = without_plus(text);
  std::int64_t value = 0;
  const char* end = digits.data() + digits.size();
  const auto [stop, failure] = std::from_chars(digits.data(), end, value);
  if (failure == std::errc::result_out_of_range) {
    throw error("expected a 64-bit integer, got " + describe_value(text, impl_->tree->scalar));
  }
  if (digits.empty() || failure != std::errc() || stop != end) {
    throw error("expected integer, got " + describe_value(text, impl_->tree->scalar));
  }
  return value;
}

double ConfigNode::as_double() const {
  const std::string text = substituted_scalar(*this, impl_->tree.get(), "number");
  const std::optional<double> value = parse_finite_double(without_plus(text));
  if (!value) throw error("expected number, got " + describe_value(text, impl_->tree->scalar));
  return *value;
}

Duration ConfigNode::as_duration() const {
  const std::string text = substituted_scalar(*this, impl_->tree.get(), "duration");
  const std::optional<Duration> value = parse_duration(text);
  if (!value) throw error(std::string(kDurationMessage));
  return *value;
}

std::vector<std::string> ConfigNode::as_string_list() const {
  if (!defined()) throw error("missing required key");
  if (!is_sequence()) throw error("expected list, got " + describe(*impl_->tree));
  std::vector<std::string> result;
  for (const ConfigNode& item : items()) result.push_back(item.as_string());
  return result;
}

std::string ConfigNode::string_or(std::string fallback) const {
  if (!defined() || is_null()) return fallback;
  return as_string();
}

bool ConfigNode::bool_or(bool fallback) const {
  if (!defined() || is_null()) return fallback;
  return as_bool();
}

std::int64_t ConfigNode::int_or(std::int64_t fallback) const {
  if (!defined() || is_null()) return fallback;
  return as_int();
}

double ConfigNode::double_or(double fallback) const {
  if (!defined() || is_null()) return fallback;
  return as_double();
}

Duration ConfigNode::duration_or(Duration fallback) const {
  if (!defined() || is_null()) return fallback;
  return as_duration();
}

ConfigError ConfigNode::error(std::string message) const {
  return ConfigError(impl_->location, impl_->key_path, std::move(message));
}

}  // namespace seer
