#include "seer/models/stop_strings.hpp"

#include <algorithm>
#include <utility>

namespace seer::models {
namespace {

// The length of the longest suffix of `text` that is a proper prefix of `stop`.
std::size_t partial_match_length(std::string_view text, std::string_view stop) {
  for (std::size_t length = std::min(text.size(), stop.size() - 1); length > 0; --length) {
    if (text.substr(text.size() - length) == stop.substr(0, length)) return length;
  }
  return 0;
}

}  // namespace

StopStringMatcher::StopStringMatcher(std::vector<std::string> stop_strings)
    : stop_strings_(std::move(stop_strings)) {
  std::erase_if(stop_strings_, [](const std::string& stop) { return stop.empty(); });
}

StopStringMatcher::Result StopStringMatcher::push(std::string_view piece) {
  if (stopped_) return {.stopped = true};
  held_ += piece;
  std::size_t first_stop = std::string::npos;
  for (const std::string& stop : stop_strings_) first_stop = std::min(first_stop, held_.find(stop));
  if (first_stop != std::string::npos) {
    stopped_ = true;
    Result result{.text = held_.substr(0, first_stop), .stopped = true};
    held_.clear();
    return result;
  }
  std::size_t keep = 0;
  for (const std::string& stop : stop_strings_) {
    keep = std::max(keep, partial_match_length(held_, stop));
  }
  Result result{.text = held_.substr(0, held_.size() - keep)};
  held_.erase(0, held_.size() - keep);
  return result;
}

std::string StopStringMatcher::finish() { return std::exchange(held_, {}); }

}  // namespace seer::models
