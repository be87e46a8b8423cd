#include <seer/agents/light_command.hpp>

#include <array>
#include <cctype>
#include <cstdio>

namespace seer::agents {
namespace {

struct NamedColor {
  std::string_view name;
  RgbColor color;
};

// Saturated versions of the common names: a lamp shows "purple" better as full violet than
// as the web's dark #800080.
constexpr std::array kColors = {
    NamedColor{"red", {255, 0, 0}},
    NamedColor{"green", {0, 255, 0}},
    NamedColor{"blue", {0, 0, 255}},
    NamedColor{"white", {255, 255, 255}},
    NamedColor{"yellow", {255, 255, 0}},
    NamedColor{"orange", {255, 128, 0}},
    NamedColor{"purple", {128, 0, 255}},
    NamedColor{"violet", {143, 0, 255}},
    NamedColor{"pink", {255, 105, 180}},
    NamedColor{"magenta", {255, 0, 255}},
    NamedColor{"cyan", {0, 255, 255}},
    NamedColor{"turquoise", {64, 224, 208}},
    NamedColor{"teal", {0, 128, 128}},
    NamedColor{"lime", {128, 255, 0}},
    NamedColor{"gold", {255, 215, 0}},
    NamedColor{"amber", {255, 191, 0}},
    NamedColor{"light blue", {135, 206, 250}},
    NamedColor{"dark blue", {0, 0, 139}},
    NamedColor{"indigo", {75, 0, 130}},
    NamedColor{"lavender", {181, 126, 220}},
    NamedColor{"coral", {255, 127, 80}},
    NamedColor{"crimson", {220, 20, 60}},
};

struct NamedWhite {
  std::string_view name;
  int kelvin;
};

constexpr std::array kWhites = {
    NamedWhite{"candle light", 1900}, NamedWhite{"warm white", 2700},
    NamedWhite{"soft white", 3000},   NamedWhite{"neutral white", 4000},
    NamedWhite{"cool white", 5000},   NamedWhite{"cold white", 5000},
    NamedWhite{"daylight", 6500},
};

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<RgbColor> color_from_hex(std::string_view text) {
  if (text.size() != 7 || text[0] != '#') return std::nullopt;
  std::array<std::uint8_t, 3> channels{};
  for (std::size_t i = 0; i < 3; ++i) {
    const int high = hex_digit(text[1 + 2 * i]);
    const int low = hex_digit(text[2 + 2 * i]);
    if (high < 0 || low < 0) return std::nullopt;
    channels[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return RgbColor{channels[0], channels[1], channels[2]};
}

}  // namespace

std::string RgbColor::hex() const {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", red, green, blue);
  return text;
}

std::optional<RgbColor> color_from_text(std::string_view text) {
  const std::string wanted = lower(text);
  if (wanted.starts_with('#')) return color_from_hex(wanted);
  for (const NamedColor& named : kColors) {
    if (named.name == wanted) return named.color;
  }
  return std::nullopt;
}

std::optional<int> white_kelvin(std::string_view name) {
  const std::string wanted = lower(name);
  for (const NamedWhite& white : kWhites) {
    if (white.name == wanted) return white.kelvin;
  }
  return std::nullopt;
}

std::vector<std::string> color_names() {
  std::vector<std::string> names;
  for (const NamedColor& named : kColors) names.emplace_back(named.name);
  return names;
}

std::vector<std::string> white_names() {
  std::vector<std::string> names;
  for (const NamedWhite& white : kWhites) names.emplace_back(white.name);
  return names;
}

}  // namespace seer::agents
