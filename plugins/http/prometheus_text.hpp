#pragma once
// Prometheus' text exposition format, version 0.0.4: a `# HELP` and `# TYPE` line per metric
// family, then one `name{label="value",...} number` line per sample.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seer::http {

inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

// A label value with `\`, `"` and newlines escaped.
std::string escape_label_value(std::string_view value);

class PrometheusText {
 public:
  // Starts a family: `type` is counter, gauge, histogram or summary.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace seer::http
