// The condition language's parser and evaluator: one pass over the text, literals read by
// Boost.JSON, everything else a bare word.

#include <seer/agents/condition.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>

#include <array>
#include <cctype>
#include <optional>
#include <utility>

namespace seer::agents {
namespace {

using Operator = Condition::Operator;

bool is_key_character(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return std::isalnum(byte) != 0 || c == '_' || c == '-' || byte >= 0x80;  // UTF-8 keys too
}

// Ends a bare word: a space or the punctuation of lists and strings.
bool ends_bare_word(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == ',' || c == '[' || c == ']' ||
         c == '"';
}

bool is_number(const boost::json::value& value) {
  return value.is_int64() || value.is_uint64() || value.is_double();
}

bool equal(const boost::json::value& actual, const boost::json::value& expected) {
  // 5 and 5.0 are the same reading whichever way a device wrote it.
  if (is_number(actual) && is_number(expected)) {
    return actual.to_number<double>() == expected.to_number<double>();
  }
  return actual == expected;
}

bool truthy(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return false;
    case boost::json::kind::bool_:
      return value.get_bool();
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return value.to_number<double>() != 0;
    case boost::json::kind::string:
      return !value.get_string().empty();
    case boost::json::kind::array:
      return !value.get_array().empty();
    case boost::json::kind::object:
      return !value.get_object().empty();
  }
  return false;
}

// -1, 0, 1, or nullopt when the two cannot be ordered (a number and a string, say).
std::optional<int> order_of(const boost::json::value& actual, const boost::json::value& expected) {
  if (is_number(actual) && is_number(expected)) {
    const double a = actual.to_number<double>();
    const double b = expected.to_number<double>();
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  if (actual.is_string() && expected.is_string()) {
    const int result = actual.get_string().subview().compare(expected.get_string().subview());
    return result < 0 ? -1 : (result > 0 ? 1 : 0);
  }
  return std::nullopt;
}

// True when `actual` and `expected` can be ordered and the order is one `accepts`.
template <typename Accepts>
bool ordered(const boost::json::value& actual, const boost::json::value& expected,
             Accepts accepts) {
  const std::optional<int> order = order_of(actual, expected);
  return order.has_value() && accepts(*order);
}

bool contains(const boost::json::value& actual, const boost::json::value& expected) {
  if (actual.is_string() && expected.is_string()) {
    return actual.get_string().subview().find(expected.get_string().subview()) !=
           std::string_view::npos;
  }
  if (actual.is_array()) {
    for (const boost::json::value& item : actual.get_array()) {
      if (equal(item, expected)) return true;
    }
  }
  return false;
}

struct Spelling {
  std::string_view text;
  Operator op;
};
// Longest first, so `<=` is not read as `<`.
constexpr std::array<Spelling, 6> kSymbolOperators{{{"==", Operator::equal},
                                                    {"!=", Operator::not_equal},
                                                    {"<=", Operator::less_equal},
                                                    {">=", Operator::greater_equal},
                                                    {"<", Operator::less},
                                                    {">", Operator::greater}}};
constexpr char kOperatorList[] = "==, !=, <, <=, >, >=, in, contains";

class ConditionParser {
 public:
  explicit ConditionParser(std::string_view text) : text_(text) {}

  void skip_spaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
      ++pos_;
    }
  }
  bool at_end() const { return pos_ >= text_.size(); }
  std::size_t position() const { return pos_; }

  [[noreturn]] void fail(const std::string& problem) const {
    throw ConditionError(text_, pos_, problem);
  }

  // A word such as `not`, `in` or `contains`, followed by a space or the end; consumed.
  bool take_word(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    const std::size_t after = pos_ + word.size();
    if (after < text_.size() && !ends_bare_word(text_[after])) return false;
    pos_ = after;
    return true;
  }

  std::vector<Condition::PathStep> path() {
    std::vector<Condition::PathStep> steps;
    if (!at_end() && text_[pos_] == '$') {
      ++pos_;
      return steps;
    }
    if (at_end() || (!is_key_character(text_[pos_]) && text_[pos_] != '[')) {
      fail("expected a path such as after.label or zones[0]");
    }
    if (text_[pos_] != '[') steps.emplace_back(key());
    while (!at_end() && (text_[pos_] == '.' || text_[pos_] == '[')) {
      if (text_[pos_++] == '.') {
        steps.emplace_back(key());
      } else {
        steps.emplace_back(index());
      }
    }
    return steps;
  }

  std::optional<Operator> symbol_operator() {
    for (const Spelling& spelling : kSymbolOperators) {
      if (text_.substr(pos_, spelling.text.size()) == spelling.text) {
        pos_ += spelling.text.size();
        return spelling.op;
      }
    }
    if (text_[pos_] == '=') fail("'=' is not an operator: compare with '=='");
    return std::nullopt;
  }

  // A literal, a bare word, or a list of them.
  boost::json::value value() {
    if (at_end()) fail("expected a value");
    if (text_[pos_] == '[') return list();
    if (text_[pos_] == '"') return quoted_string();
    return word_or_literal();
  }

 private:
  std::string key() {
    const std::size_t start = pos_;
    while (!at_end() && is_key_character(text_[pos_])) ++pos_;
    if (pos_ == start) fail("expected a key name");
    return std::string(text_.substr(start, pos_ - start));
  }

  std::size_t index() {
    const std::size_t start = pos_;
    std::size_t result = 0;
    while (!at_end() && std::isdigit(static_cast<unsigned char>(text_[pos_])) != 0) {
      result = result * 10 + static_cast<std::size_t>(text_[pos_++] - '0');
    }
    if (pos_ == start || at_end() || text_[pos_] != ']') {
      pos_ = start;
      fail("expected a list index such as [0]");
    }
    ++pos_;
    return result;
  }

  boost::json::value list() {
    boost::json::array items;
    ++pos_;  // '['
    skip_spaces();
    if (!at_end() && text_[pos_] == ']') {
      ++pos_;
      return items;
    }
    while (true) {
      skip_spaces();
      if (!at_end() && text_[pos_] == '[') fail("lists inside lists are not supported");
      items.push_back(value());
      skip_spaces();
      if (at_end()) fail("expected ',' or ']' to close the list");
      const char separator = text_[pos_++];
      if (separator == ']') return items;
      if (separator != ',') {
        --pos_;
        fail("expected ',' or ']' in the list");
      }
    }
  }

  boost::json::value quoted_string() {
    boost::json::parser parser;
    boost::system::error_code error;
    const std::size_t used = parser.write_some(text_.substr(pos_), error);
    if (error) fail("unterminated or malformed string (" + error.message() + ")");
    pos_ += used;
    return parser.release();
  }

  // `12.5`, `true`, `null` are JSON; any other word (`person`, `new`) is a string.
  boost::json::value word_or_literal() {
    const std::size_t start = pos_;
    while (!at_end() && !ends_bare_word(text_[pos_])) ++pos_;
    if (pos_ == start) fail("expected a value");
    const std::string_view word = text_.substr(start, pos_ - start);
    boost::system::error_code error;
    boost::json::value literal = boost::json::parse(word, error);
    if (!error && !literal.is_structured()) return literal;
    return boost::json::string(word);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

const boost::json::value* find(const boost::json::value& payload,
                               const std::vector<Condition::PathStep>& path) {
  const boost::json::value* current = &payload;
  for (const Condition::PathStep& step : path) {
    if (const auto* key = std::get_if<std::string>(&step)) {
      const boost::json::object* object = current->if_object();
      if (object == nullptr) return nullptr;
      current = object->if_contains(*key);
    } else {
      const boost::json::array* array = current->if_array();
      const std::size_t index = std::get<std::size_t>(step);
      if (array == nullptr || index >= array->size()) return nullptr;
      current = &(*array)[index];
    }
    if (current == nullptr) return nullptr;
  }
  return current;
}

// A list only for `in`; a number or a string for an ordering.
void check_value_fits(std::string_view text, std::size_t offset, Operator op,
                      const boost::json::value& value) {
  const bool orders = op == Operator::less || op == Operator::less_equal ||
                      op == Operator::greater || op == Operator::greater_equal;
  if (op == Operator::in && !value.is_array()) {
    throw ConditionError(text, offset, "'in' expects a list such as [single, double]");
  }
  if (op != Operator::in && op != Operator::equal && op != Operator::not_equal &&
      value.is_array()) {
    throw ConditionError(text, offset, "a list goes only with 'in', '==' and '!='");
  }
  if (orders && !is_number(value) && !value.is_string()) {
    throw ConditionError(text, offset, "'<', '<=', '>' and '>=' compare with a number or a string");
  }
}

}  // namespace

ConditionError::ConditionError(std::string_view text, std::size_t offset,
                               const std::string& problem)
    : std::invalid_argument("condition '" + std::string(text) + "', column " +
                            std::to_string(offset + 1) + ": " + problem),
      column_(offset + 1),
      problem_(problem) {}

Condition Condition::parse(std::string_view text) {
  Condition condition;
  condition.text_ = std::string(text);
  ConditionParser parser(text);
  parser.skip_spaces();
  if (parser.at_end()) parser.fail("empty condition: write one such as occupancy == true");
  if (parser.take_word("not")) {
    parser.skip_spaces();
    condition.op_ = Operator::falsy;
    condition.path_ = parser.path();
  } else {
    condition.path_ = parser.path();
    parser.skip_spaces();
    if (!parser.at_end()) {
      if (const std::optional<Operator> symbol = parser.symbol_operator()) {
        condition.op_ = *symbol;
      } else if (parser.take_word("in")) {
        condition.op_ = Operator::in;
      } else if (parser.take_word("contains")) {
        condition.op_ = Operator::contains;
      } else {
        parser.fail(std::string("expected an operator (") + kOperatorList + ") or the end");
      }
      parser.skip_spaces();
      const std::size_t value_start = parser.position();
      condition.value_ = parser.value();
      check_value_fits(text, value_start, condition.op_, condition.value_);
    }
  }
  parser.skip_spaces();
  if (!parser.at_end()) {
    parser.fail("unexpected text after the condition (give several conditions as a list)");
  }
  return condition;
}

bool Condition::holds(const boost::json::value& payload) const {
  const boost::json::value* actual = find(payload, path_);
  if (actual == nullptr) return op_ == Operator::not_equal;
  switch (op_) {
    case Operator::truthy:
      return truthy(*actual);
    case Operator::falsy:
      return !truthy(*actual);
    case Operator::equal:
      return equal(*actual, value_);
    case Operator::not_equal:
      return !equal(*actual, value_);
    case Operator::less:
      return ordered(*actual, value_, [](int order) { return order < 0; });
    case Operator::less_equal:
      return ordered(*actual, value_, [](int order) { return order <= 0; });
    case Operator::greater:
      return ordered(*actual, value_, [](int order) { return order > 0; });
    case Operator::greater_equal:
      return ordered(*actual, value_, [](int order) { return order >= 0; });
    case Operator::in:
      for (const boost::json::value& item : value_.get_array()) {
        if (equal(*actual, item)) return true;
      }
      return false;
    case Operator::contains:
      return contains(*actual, value_);
  }
  return false;
}

}  // namespace seer::agents
