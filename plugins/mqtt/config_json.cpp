#include "config_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cctype>
#include <charconv>
#include <cstdint>

namespace seer::mqtt {
namespace {

boost::json::value scalar_to_json(const std::string& text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  // from_chars would read "inf" and "nan", which are words here.
  if (begin == end ||
      !(std::isdigit(static_cast<unsigned char>(*begin)) != 0 || *begin == '-' || *begin == '.')) {
    return boost::json::string(text);
  }
  std::int64_t integer = 0;
  if (auto [at, error] = std::from_chars(begin, end, integer); error == std::errc() && at == end) {
    return integer;
  }
  double decimal = 0;
  if (auto [at, error] = std::from_chars(begin, end, decimal); error == std::errc() && at == end) {
    return decimal;
  }
  return boost::json::string(text);
}

}  // namespace

boost::json::value config_to_json(const ConfigNode& node) {
  if (!node.defined() || node.is_null()) return nullptr;
  if (node.is_map()) {
    boost::json::object object;
    for (const auto& [key, value] : node.entries()) object[key] = config_to_json(value);
    return object;
  }
  if (node.is_sequence()) {
    boost::json::array array;
    for (const ConfigNode& item : node.items()) array.push_back(config_to_json(item));
    return array;
  }
  return scalar_to_json(node.as_string());
}

}  // namespace seer::mqtt
