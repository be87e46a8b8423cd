#include "config/env_substitution.hpp"

#include <cstdlib>

namespace seer::config {
namespace {

constexpr std::string_view kDefaultSeparator = ":-";

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }

bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

bool is_valid_name(std::string_view name) {
  if (name.empty() || !is_name_start(name.front())) return false;
  for (char c : name) {
    if (!is_name_char(c)) return false;
  }
  return true;
}

// The value `${reference}` stands for, `reference` being the text between the braces.
std::string expand_reference(std::string_view reference, const EnvLookup& lookup) {
  const std::size_t separator = reference.find(kDefaultSeparator);
  const std::string_view name = reference.substr(0, separator);
  if (!is_valid_name(name)) {
    throw EnvSubstitutionError("invalid variable reference '${" + std::string(reference) +
                               "}' (expected ${NAME} or ${NAME:-default})");
  }
  std::optional<std::string> value = lookup(std::string(name));
  if (separator == std::string_view::npos) {
    if (!value) {
      throw EnvSubstitutionError("environment variable '" + std::string(name) +
                                 "' is not set and has no default");
    }
    return *value;
  }
  if (!value || value->empty()) {
    return std::string(reference.substr(separator + kDefaultSeparator.size()));
  }
  return *value;
}

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string substitute_env(std::string_view text, const EnvLookup& lookup) {
  std::string result;
  result.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t dollar = text.find('$', pos);
    if (dollar == std::string_view::npos) {
      result.append(text.substr(pos));
      break;
    }
    result.append(text.substr(pos, dollar - pos));
    const std::string_view rest = text.substr(dollar);
    if (rest.starts_with("$${")) {
      result.append("${");
      pos = dollar + 3;
    } else if (rest.starts_with("${")) {
      const std::size_t close = text.find('}', dollar + 2);
      if (close == std::string_view::npos) {
        throw EnvSubstitutionError("unclosed '${' (write '$${' for a literal '${')");
      }
      result.append(expand_reference(text.substr(dollar + 2, close - dollar - 2), lookup));
      pos = close + 1;
    } else {
      result.push_back('$');
      pos = dollar + 1;
    }
  }
  return result;
}

}  // namespace seer::config
