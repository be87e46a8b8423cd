// Naming the key nearest a YAML syntax error. yaml-cpp reports only a position, and the text
// before it cannot be parsed, so this reads the raw lines: best effort, for the message only.

#include "config/syntax_error_key.hpp"

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "config/key_path.hpp"

namespace seer::config {
namespace {

// What one line of YAML text says about keys: dashes opening sequence items, then `key:`.
struct LineShape {
  bool blank = true;  // empty, a comment or a document marker
  int indent = 0;
  std::vector<int> dash_columns;
  std::string key;  // empty when the line has no `key:`
  int key_column = 0;
  bool opens_block = false;  // `key:` with nothing after it: the lines below are its value
};

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Position of the `:` ending a plain key that starts at `start`, or npos.
std::size_t plain_key_colon(std::string_view line, std::size_t start) {
  for (std::size_t i = start; i < line.size(); ++i) {
    if (line[i] == '#' && i > start && is_space(line[i - 1])) return std::string_view::npos;
    if (line[i] == ':' && (i + 1 == line.size() || is_space(line[i + 1]))) return i;
  }
  return std::string_view::npos;
}

LineShape shape_of(std::string_view line) {
  LineShape shape;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t pos = line.find_first_not_of(" \t");
  if (pos == std::string_view::npos || line[pos] == '#') return shape;
  if (line.starts_with("---") || line.starts_with("...")) return shape;
  shape.blank = false;
  shape.indent = static_cast<int>(pos);
  while (line[pos] == '-' && (pos + 1 == line.size() || is_space(line[pos + 1]))) {
    shape.dash_columns.push_back(static_cast<int>(pos));
    pos = line.find_first_not_of(" \t", pos + 1);
    if (pos == std::string_view::npos) return shape;
  }
  std::size_t colon = std::string_view::npos;
  std::string_view key;
  if (line[pos] == '"' || line[pos] == '\'') {
    const std::size_t closing = line.find(line[pos], pos + 1);
    if (closing == std::string_view::npos || closing + 1 >= line.size()) return shape;
    if (line[closing + 1] != ':') return shape;
    colon = closing + 1;
    key = line.substr(pos + 1, closing - pos - 1);
  } else {
    // Flow collections, anchors, aliases, tags and block scalars are not keys we can name.
    if (std::string_view("[{#&*!|>%@`").find(line[pos]) != std::string_view::npos) return shape;
    colon = plain_key_colon(line, pos);
    if (colon == std::string_view::npos) return shape;
    key = trim(line.substr(pos, colon - pos));
  }
  if (key.empty()) return shape;
  shape.key = std::string(key);
  shape.key_column = static_cast<int>(pos);
  const std::string_view rest = trim(line.substr(colon + 1));
  shape.opens_block = rest.empty() || rest.front() == '#';
  return shape;
}

// Index of the sequence item whose dash is at `column` on line `row`.
std::size_t item_index(const std::vector<LineShape>& lines, std::size_t row, int column) {
  const auto& dashes = lines[row].dash_columns;
  // A dash right of another dash starts a new nested sequence.
  if (dashes.front() < column) return 0;
  std::size_t index = 0;
  for (std::size_t i = row; i-- > 0;) {
    const LineShape& line = lines[i];
    if (line.blank || line.indent > column) continue;
    const bool has_dash = std::find(line.dash_columns.begin(), line.dash_columns.end(), column) !=
                          line.dash_columns.end();
    if (has_dash) ++index;
    if (line.indent < column || !has_dash) break;
  }
  return index;
}

}  // namespace

std::string key_path_near(std::string_view text, int error_line) {
  std::vector<LineShape> lines;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines.push_back(shape_of(text.substr(start, end - start)));
    start = end + 1;
  }
  const std::size_t error_row = static_cast<std::size_t>(std::max(error_line, 0));
  // The error line's indentation bounds the key; past the end, any key will do.
  const int limit =
      error_row < lines.size() && !lines[error_row].blank ? lines[error_row].indent : INT_MAX;
  std::size_t row = std::min(error_row, lines.size() - 1) + 1;
  while (row-- > 0) {
    if (!lines[row].key.empty() && lines[row].key_column <= limit) break;
  }
  if (row == static_cast<std::size_t>(-1)) return {};

  std::vector<std::string> segments{lines[row].key};  // innermost first
  int column = lines[row].key_column;
  bool in_item = false;  // `column` is a dash's: an indentless sequence's key may share it
  auto take_dashes = [&](std::size_t at) {
    const auto& dashes = lines[at].dash_columns;
    for (auto dash = dashes.rbegin(); dash != dashes.rend(); ++dash) {
      if (*dash >= column) continue;
      segments.push_back("[" + std::to_string(item_index(lines, at, *dash)) + "]");
      column = *dash;
      in_item = true;
    }
  };
  take_dashes(row);
  while (row-- > 0) {
    const LineShape& line = lines[row];
    if (line.blank) continue;
    const bool is_parent = !line.key.empty() && line.opens_block &&
                           (line.key_column < column || (in_item && line.key_column == column));
    if (is_parent) {
      segments.push_back(line.key);
      column = line.key_column;
      in_item = false;
    }
    take_dashes(row);
  }
  std::string path;
  for (auto segment = segments.rbegin(); segment != segments.rend(); ++segment) {
    path = join_paths(path, *segment);
  }
  return path;
}

bool has_closing_quote(std::string_view text, std::size_t opening) {
  const char quote = text[opening];
  for (std::size_t i = opening + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is an escaped quote inside single quotes
      } else {
        return true;
      }
    }
  }
  return false;
}

}  // namespace seer::config
