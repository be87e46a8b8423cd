#include "byte_level.hpp"

#include <cstddef>

namespace seer::models::tokenizer {
namespace {

// Printable Latin-1 bytes keep their own code point; the rest take 256, 257, ... in order.
constexpr bool keeps_own_code_point(unsigned byte) {
  return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) ||
         (byte >= 0xAE && byte <= 0xFF);
}

struct ByteLevelTables {
  std::array<char32_t, 256> code_point_of_byte{};
  std::array<std::string, 256> utf8_of_byte;
  std::array<int, 512> byte_of_code_point{};  // -1 where no byte maps there
};

void append_utf8(char32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else {  // the alphabet stays below U+0800, so two bytes suffice
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

ByteLevelTables build_tables() {
  ByteLevelTables tables;
  tables.byte_of_code_point.fill(-1);
  char32_t next_extra = 256;
  for (unsigned byte = 0; byte < 256; ++byte) {
    const char32_t code_point = keeps_own_code_point(byte) ? byte : next_extra++;
    tables.code_point_of_byte[byte] = code_point;
    append_utf8(code_point, tables.utf8_of_byte[byte]);
    tables.byte_of_code_point[code_point] = static_cast<int>(byte);
  }
  return tables;
}

const ByteLevelTables& tables() {
  static const ByteLevelTables instance = build_tables();
  return instance;
}

}  // namespace

const std::array<std::string, 256>& byte_level_alphabet() { return tables().utf8_of_byte; }

std::optional<unsigned char> byte_of_character(char32_t character) {
  if (character >= tables().byte_of_code_point.size()) return std::nullopt;
  const int byte = tables().byte_of_code_point[character];
  if (byte < 0) return std::nullopt;
  return static_cast<unsigned char>(byte);
}

std::optional<std::string> byte_level_to_bytes(std::string_view token) {
  std::string bytes;
  bytes.reserve(token.size());
  for (std::size_t at = 0; at < token.size();) {
    const auto lead = static_cast<unsigned char>(token[at]);
    char32_t character = 0;
    if (lead < 0x80) {
      character = lead;
      at += 1;
    } else if ((lead & 0xE0) == 0xC0 && at + 1 < token.size()) {
      character = (static_cast<char32_t>(lead & 0x1F) << 6) |
                  (static_cast<unsigned char>(token[at + 1]) & 0x3F);
      at += 2;
    } else {
      return std::nullopt;  // three- and four-byte characters are never in the alphabet
    }
    const auto byte = byte_of_character(character);
    if (!byte) return std::nullopt;
    bytes.push_back(static_cast<char>(*byte));
  }
  return bytes;
}

}  // namespace seer::models::tokenizer
