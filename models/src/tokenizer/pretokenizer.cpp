#include "pretokenizer.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <array>
#include <cstddef>

#include "seer/models/tokenizer.hpp"

namespace seer::models::tokenizer {
namespace {

struct CodeDeleter {
  void operator()(pcre2_code* code) const { pcre2_code_free(code); }
};
struct MatchDataDeleter {
  void operator()(pcre2_match_data* data) const { pcre2_match_data_free(data); }
};
using CodePtr = std::unique_ptr<pcre2_code, CodeDeleter>;
using MatchDataPtr = std::unique_ptr<pcre2_match_data, MatchDataDeleter>;

std::string pcre2_message(int error_code) {
  std::array<PCRE2_UCHAR, 256> buffer{};
  pcre2_get_error_message(error_code, buffer.data(), buffer.size());
  return std::string(reinterpret_cast<const char*>(buffer.data()));
}

// Length of the UTF-8 character that starts at `at` (the text is known to be valid).
std::size_t character_length(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

}  // namespace

struct RegexSplitter::CompiledPattern {
  CodePtr code;
};

RegexSplitter::RegexSplitter(std::string_view pattern)
    : pattern_(pattern), compiled_(std::make_unique<CompiledPattern>()) {
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  // UCP makes \s, \d and case folding follow Unicode, as the reference's Oniguruma does.
  compiled_->code.reset(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern_.data()),
                                      pattern_.size(), PCRE2_UTF | PCRE2_UCP, &error_code,
                                      &error_offset, nullptr));
  if (!compiled_->code) {
    throw TokenizerError("tokenizer: invalid pre-tokenizer regex at offset " +
                         std::to_string(error_offset) + ": " + pcre2_message(error_code));
  }
  // JIT is an optimisation only: without it (unsupported platform) matching still works.
  pcre2_jit_compile(compiled_->code.get(), PCRE2_JIT_COMPLETE);
}

RegexSplitter::RegexSplitter(RegexSplitter&&) noexcept = default;
RegexSplitter& RegexSplitter::operator=(RegexSplitter&&) noexcept = default;
RegexSplitter::~RegexSplitter() = default;

void RegexSplitter::split(std::string_view text, std::vector<std::string_view>& pieces) const {
  // Match data per call keeps split() usable from several threads at once.
  const MatchDataPtr match_data(
      pcre2_match_data_create_from_pattern(compiled_->code.get(), nullptr));
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t gap_start = 0;
  std::size_t offset = 0;
  while (offset < text.size()) {
    const int result = pcre2_match(compiled_->code.get(), subject, text.size(), offset,
                                   PCRE2_NO_UTF_CHECK, match_data.get(), nullptr);
    if (result == PCRE2_ERROR_NOMATCH) break;
    if (result < 0) {
      throw TokenizerError("tokenizer: pre-tokenizer regex failed: " + pcre2_message(result));
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match_data.get());
    const std::size_t start = ovector[0];
    const std::size_t end = ovector[1];
    if (start > gap_start) pieces.push_back(text.substr(gap_start, start - gap_start));
    if (end > start) pieces.push_back(text.substr(start, end - start));
    gap_start = end;
    // An empty match must not stall the scan: step over one character.
    if (end == start && end >= text.size()) break;
    offset = end > start ? end : end + character_length(text, end);
  }
  if (text.size() > gap_start) pieces.push_back(text.substr(gap_start));
}

}  // namespace seer::models::tokenizer
