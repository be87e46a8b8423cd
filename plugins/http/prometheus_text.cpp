#include "prometheus_text.hpp"

#include <fmt/format.h>

#include <cmath>

namespace seer::http {

std::string escape_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  // HELP escapes only backslashes and newlines; the texts here hold neither.
  fmt::format_to(std::back_inserter(text_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void PrometheusText::sample(std::string_view name, const Labels& labels, double value) {
  text_ += name;
  if (!labels.empty()) {
    text_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) text_ += ',';
      fmt::format_to(std::back_inserter(text_), "{}=\"{}\"", labels[i].first,
                     escape_label_value(labels[i].second));
    }
    text_ += '}';
  }
  if (std::isinf(value)) {
    text_ += value > 0 ? " +Inf\n" : " -Inf\n";
  } else if (std::isnan(value)) {
    text_ += " NaN\n";
  } else {
    // The shortest text that reads back as the same double; integers without a fraction.
    fmt::format_to(std::back_inserter(text_), " {}\n", value);
  }
}

}  // namespace seer::http
