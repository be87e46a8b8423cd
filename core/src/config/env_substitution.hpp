#pragma once
// `${VAR}` and `${VAR:-default}` substitution in configuration scalars.

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace seer::config {

// Reads one environment variable; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment, through std::getenv.
std::optional<std::string> process_environment(const std::string& name);

// An unset variable without a default, or a malformed `${...}`. Carries no location: the
// caller knows which node the text came from and reports it there.
class EnvSubstitutionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Replaces `${NAME}` with the variable's value and `${NAME:-default}` with the value, or with
// the default when the variable is unset or empty. `$${` gives a literal `${`; any other `$`
// is kept as it is. Defaults are literal text and end at the first `}`.
std::string substitute_env(std::string_view text, const EnvLookup& lookup = process_environment);

}  // namespace seer::config
