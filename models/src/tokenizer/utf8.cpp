#include "utf8.hpp"

#include <cstdint>
#include <cstdlib>
#include <memory>

#include <utf8proc.h>

#include "seer/models/tokenizer.hpp"

namespace seer::models::tokenizer {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

struct SequenceShape {
  std::size_t length = 0;  // 0: not a valid lead byte
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
};

// RFC 3629 table: the second byte's range excludes overlongs, surrogates and > U+10FFFF.
SequenceShape shape_of(unsigned char lead) {
  if (lead < 0x80) return {1};
  if (lead >= 0xC2 && lead <= 0xDF) return {2};
  if (lead == 0xE0) return {3, 0xA0, 0xBF};
  if (lead == 0xED) return {3, 0x80, 0x9F};
  if (lead >= 0xE1 && lead <= 0xEF) return {3};
  if (lead == 0xF0) return {4, 0x90, 0xBF};
  if (lead >= 0xF1 && lead <= 0xF3) return {4};
  if (lead == 0xF4) return {4, 0x80, 0x8F};
  return {0};
}

enum class Scan { complete, ill_formed, truncated };

struct ScanResult {
  Scan kind;
  std::size_t length;  // bytes of the sequence, or of its maximal ill-formed subpart
};

ScanResult scan_sequence(std::string_view bytes, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const SequenceShape shape = shape_of(byte(at));
  if (shape.length == 0) return {Scan::ill_formed, 1};
  std::size_t i = 1;
  for (; i < shape.length; ++i) {
    if (at + i >= bytes.size()) return {Scan::truncated, i};
    const unsigned char low = i == 1 ? shape.second_low : 0x80;
    const unsigned char high = i == 1 ? shape.second_high : 0xBF;
    if (byte(at + i) < low || byte(at + i) > high) return {Scan::ill_formed, i};
  }
  return {Scan::complete, shape.length};
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  for (std::size_t at = 0; at < bytes.size();) {
    const ScanResult scan = scan_sequence(bytes, at);
    if (scan.kind != Scan::complete) return false;
    at += scan.length;
  }
  return true;
}

std::string nfc_normalize(std::string_view text) {
  if (text.empty()) return {};
  utf8proc_uint8_t* composed = nullptr;
  // utf8proc_NFC's options, through utf8proc_map so that a NUL byte does not end the text.
  const utf8proc_ssize_t length =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &composed,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  // utf8proc allocates with malloc; free it the same way.
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(composed, &std::free);
  if (length < 0) {
    throw TokenizerError(std::string("tokenizer: NFC normalisation failed: ") +
                         utf8proc_errmsg(length));
  }
  return std::string(reinterpret_cast<const char*>(composed), static_cast<std::size_t>(length));
}

std::size_t append_utf8_lossy(std::string_view bytes, std::string& out, bool at_end) {
  std::size_t at = 0;
  while (at < bytes.size()) {
    const ScanResult scan = scan_sequence(bytes, at);
    if (scan.kind == Scan::truncated && !at_end) break;
    if (scan.kind == Scan::complete) {
      out.append(bytes.substr(at, scan.length));
    } else {
      out.append(kReplacementCharacter);
    }
    at += scan.length;
  }
  return at;
}

}  // namespace seer::models::tokenizer
