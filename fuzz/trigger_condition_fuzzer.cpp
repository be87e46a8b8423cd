// MQTT trigger conditions: the input's first line is the condition, the rest the message's
// payload. Parsing refuses with a ConditionError; evaluating never throws.
#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <seer/agents/condition.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view expression = input.substr(0, newline);
  const std::string_view payload_text =
      newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  try {
    const seer::agents::Condition condition = seer::agents::Condition::parse(expression);
    // Payloads that are not JSON reach triggers as JSON strings (the mqtt plugin's mapping).
    boost::system::error_code error;
    boost::json::value payload = boost::json::parse(payload_text, error);
    if (error) payload = boost::json::string(payload_text);
    static_cast<void>(condition.holds(payload));
    static_cast<void>(condition.holds(nullptr));
  } catch (const seer::agents::ConditionError&) {
    // Refused with the column of the problem.
  }
  return 0;
}
