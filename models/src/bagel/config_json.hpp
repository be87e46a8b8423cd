#pragma once
// Reading the checkpoint's JSON config files (llm_config.json, vit_config.json): each field
// checked for presence and type, every error naming the file. `Error` is the reader's own
// exception type.

#include <boost/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace seer::models::bagel {

template <typename Error>
boost::json::object parse_json_object(std::string_view text, const std::string& source) {
  boost::system::error_code error;
  boost::json::value root = boost::json::parse(text, error);
  if (error) throw Error(source + ": not valid JSON: " + error.message());
  if (!root.is_object()) throw Error(source + ": not a JSON object");
  return std::move(root.as_object());
}

template <typename Error>
std::string read_text_file(const std::filesystem::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the " + std::string(what));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

template <typename Error>
const boost::json::value& required_field(const boost::json::object& object, std::string_view field,
                                         const std::string& source) {
  const boost::json::value* value = object.if_contains(field);
  if (value == nullptr) throw Error(source + ": missing field '" + std::string(field) + "'");
  return *value;
}

template <typename Error>
std::int64_t positive_int(const boost::json::object& object, std::string_view field,
                          const std::string& source) {
  const boost::json::value& value = required_field<Error>(object, field, source);
  boost::system::error_code error;
  const auto number = value.is_number() ? value.to_number<std::int64_t>(error) : 0;
  if (!value.is_number() || error || number <= 0) {
    throw Error(source + ": field '" + std::string(field) + "' must be a positive integer");
  }
  return number;
}

template <typename Error>
double positive_number(const boost::json::object& object, std::string_view field,
                       const std::string& source) {
  const boost::json::value& value = required_field<Error>(object, field, source);
  if (!value.is_number() || !(value.to_number<double>() > 0.0)) {
    throw Error(source + ": field '" + std::string(field) + "' must be a positive number");
  }
  return value.to_number<double>();
}

template <typename Error>
double number_or(const boost::json::object& object, std::string_view field, double fallback,
                 const std::string& source) {
  const boost::json::value* value = object.if_contains(field);
  if (value == nullptr) return fallback;
  if (!value->is_number()) {
    throw Error(source + ": field '" + std::string(field) + "' must be a number");
  }
  return value->to_number<double>();
}

template <typename Error>
std::string string_or(const boost::json::object& object, std::string_view field,
                      std::string fallback, const std::string& source) {
  const boost::json::value* value = object.if_contains(field);
  if (value == nullptr) return fallback;
  if (!value->is_string()) {
    throw Error(source + ": field '" + std::string(field) + "' must be a string");
  }
  return std::string(value->as_string());
}

}  // namespace seer::models::bagel
