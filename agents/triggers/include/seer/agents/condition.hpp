#pragma once
// A condition on an MQTT message's JSON payload, written `<path> <op> <value>`:
//   occupancy == true     after.label == person     after.score >= 0.7
//   action in [single, double]     after.current_zones contains porch     not stationary
// Paths are dotted keys with [index] (`before.zones[0]`), `$` is the whole payload; values
// are JSON literals or bare words meaning strings. README.md describes the language.

#include <boost/json/value.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace seer::agents {

// A condition that does not parse; what() names the expression, the problem and its column.
class ConditionError : public std::invalid_argument {
 public:
  ConditionError(std::string_view text, std::size_t offset, const std::string& problem);
  // 1-based column of the problem within the expression.
  std::size_t column() const { return column_; }
  const std::string& problem() const { return problem_; }

 private:
  std::size_t column_;
  std::string problem_;
};

class Condition {
 public:
  enum class Operator {
    truthy,
    falsy,
    equal,
    not_equal,
    less,
    less_equal,
    greater,
    greater_equal,
    in,
    contains
  };
  // One step of a path: a key, or an index into a list.
  using PathStep = std::variant<std::string, std::size_t>;

  // Throws ConditionError (a std::invalid_argument) with the column of the problem.
  static Condition parse(std::string_view text);

  // False whenever the path is missing, except for `!=`, which then holds.
  bool holds(const boost::json::value& payload) const;
  const std::string& text() const { return text_; }
  Operator op() const { return op_; }

 private:
  Condition() = default;

  std::string text_;
  std::vector<PathStep> path_;  // empty: the whole payload
  Operator op_ = Operator::truthy;
  boost::json::value value_;  // for `in`, an array
};

}  // namespace seer::agents
