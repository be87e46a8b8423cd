#pragma once
// Helpers for reporting YAML syntax errors well, from the raw text.

#include <cstddef>
#include <string>
#include <string_view>

namespace seer::config {

// The dotted key path ("plugins.clock.schedules[0].cron") of the key nearest before the
// 0-based `error_line`, judged from indentation; empty when there is none.
std::string key_path_near(std::string_view text, int error_line);

// Whether the quote at `opening` is closed before the end of `text`. yaml-cpp 0.7 accepts a
// quoted scalar that runs to the end of the text; YAML does not.
bool has_closing_quote(std::string_view text, std::size_t opening);

}  // namespace seer::config
