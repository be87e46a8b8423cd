#pragma once
// Topic names and MQTT-style filters: levels separated by '/', '+' matches one level,
// '#' (last level only) matches any number of levels including none.

#include <string>
#include <string_view>

namespace seer {

// True when `topic` is a valid concrete topic: non-empty levels-free of '+' and '#'.
bool is_valid_topic(std::string_view topic);

// Empty when `filter` is valid, otherwise the reason it is not.
std::string check_topic_filter(std::string_view filter);

// True when `topic` matches `filter` by MQTT rules.
bool topic_matches(std::string_view filter, std::string_view topic);

}  // namespace seer
