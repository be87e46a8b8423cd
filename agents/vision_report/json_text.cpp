#include <seer/agents/json_text.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <string_view>

namespace seer::agents {
namespace {

namespace json = boost::json;

void write(const json::value& value, int depth, std::string& out);

void newline(int depth, std::string& out) {
  out += '\n';
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

// Empty containers and arrays of numbers stay on one line; everything else is indented.
bool is_flat(const json::array& array) {
  for (const auto& item : array) {
    if (!item.is_number()) return false;
  }
  return true;
}

// The shortest text that reads back as the same double; JSON has no NaN or infinity.
void write_number(double number, std::string& out) {
  if (!std::isfinite(number)) {
    out += "null";
    return;
  }
  char text[32];
  // Plain decimals (0.0002, not 2e-04) for the magnitudes reports hold.
  const double magnitude = std::fabs(number);
  const auto format = magnitude == 0 || (magnitude >= 1e-6 && magnitude < 1e15)
                          ? std::chars_format::fixed
                          : std::chars_format::general;
  const auto result = std::to_chars(text, text + sizeof text, number, format);
  const std::string_view written(text, static_cast<std::size_t>(result.ptr - text));
  out += written;
  // "1.0", not "1": a reader must see the same kind of number it was given.
  if (written.find_first_of(".e") == std::string_view::npos) out += ".0";
}

void write(const json::value& value, int depth, std::string& out) {
  switch (value.kind()) {
    case json::kind::object: {
      const auto& object = value.get_object();
      if (object.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, item] : object) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1, out);
        out += json::serialize(json::string_view(key));
        out += ": ";
        write(item, depth + 1, out);
      }
      newline(depth, out);
      out += '}';
      return;
    }
    case json::kind::array: {
      const auto& array = value.get_array();
      const bool flat = is_flat(array);
      out += '[';
      bool first = true;
      for (const auto& item : array) {
        if (!first) out += flat ? ", " : ",";
        first = false;
        if (!flat) newline(depth + 1, out);
        write(item, depth + 1, out);
      }
      if (!flat && !array.empty()) newline(depth, out);
      out += ']';
      return;
    }
    case json::kind::double_:
      write_number(value.get_double(), out);
      return;
    default:
      out += json::serialize(value);
      return;
  }
}

}  // namespace

std::string pretty_json(const json::value& value) {
  std::string out;
  write(value, 0, out);
  return out;
}

}  // namespace seer::agents
