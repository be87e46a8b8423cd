#include <seer/topic.hpp>

namespace seer {
namespace {

// Calls `visit(level)` for each '/'-separated level, including empty ones.
template <typename Visitor>
void for_each_level(std::string_view text, Visitor visit) {
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = text.find('/', begin);
    visit(text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
    if (end == std::string_view::npos) return;
    begin = end + 1;
  }
}

}  // namespace

bool is_valid_topic(std::string_view topic) {
  // One pass: this runs on every publish.
  for (const char c : topic) {
    if (c == '+' || c == '#' || c == '\0') return false;
  }
  return !topic.empty();
}

std::string check_topic_filter(std::string_view filter) {
  if (filter.empty()) return "a topic filter must not be empty";
  std::string problem;
  bool after_hash = false;
  for_each_level(filter, [&](std::string_view level) {
    if (!problem.empty()) return;
    if (after_hash) {
      problem = "'#' must be the last level of a topic filter";
    } else if (level == "#") {
      after_hash = true;
    } else if (level != "+" && level.find_first_of("+#") != std::string_view::npos) {
      problem = "wildcards '+' and '#' must occupy a whole level, as in 'camera/+/frame'";
    }
  });
  return problem;
}

bool topic_matches(std::string_view filter, std::string_view topic) {
  std::size_t f = 0;
  std::size_t t = 0;
  while (true) {
    const std::size_t f_end = std::min(filter.find('/', f), filter.size());
    const std::string_view level = filter.substr(f, f_end - f);
    if (level == "#") return true;  // matches the parent level too ("a/#" matches "a")
    if (t > topic.size()) return false;
    const std::size_t t_end = std::min(topic.find('/', t), topic.size());
    if (level != "+" && level != topic.substr(t, t_end - t)) return false;
    const bool filter_done = f_end == filter.size();
    const bool topic_done = t_end == topic.size();
    if (filter_done || topic_done) {
      if (filter_done && topic_done) return true;
      // "a/#" also matches "a": the only way a longer filter may still match.
      return topic_done && filter.substr(f_end) == "/#";
    }
    f = f_end + 1;
    t = t_end + 1;
  }
}

}  // namespace seer
