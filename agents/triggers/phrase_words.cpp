// Word splitting with Unicode case folding through utf8proc.

#include <seer/agents/phrase_words.hpp>

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace seer::agents {
namespace {

bool is_word_character(utf8proc_int32_t codepoint) {
  switch (utf8proc_category(codepoint)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// NFKC with case folding ("ß" becomes "ss", full-width letters plain ones); default-ignorable
// characters such as soft hyphens are dropped.
std::string folded(std::string_view text) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE));
  if (length < 0) {
    throw std::invalid_argument(std::string("text is not valid UTF-8 (") + utf8proc_errmsg(length) +
                                ")");
  }
  const std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
  return std::string(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(length));
}

}  // namespace

std::vector<std::string> phrase_words(std::string_view text) {
  const std::string folded_text = folded(text);
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(folded_text.data());
  const auto size = static_cast<utf8proc_ssize_t>(folded_text.size());
  std::vector<std::string> words;
  std::string word;
  utf8proc_ssize_t offset = 0;
  while (offset < size) {
    utf8proc_int32_t codepoint = 0;
    const utf8proc_ssize_t used = utf8proc_iterate(bytes + offset, size - offset, &codepoint);
    if (used <= 0) throw std::invalid_argument("text is not valid UTF-8");
    if (is_word_character(codepoint)) {
      word.append(folded_text, static_cast<std::size_t>(offset), static_cast<std::size_t>(used));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
    offset += used;
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool contains_words(const std::vector<std::string>& text, const std::vector<std::string>& phrase) {
  return !phrase.empty() &&
         std::search(text.begin(), text.end(), phrase.begin(), phrase.end()) != text.end();
}

}  // namespace seer::agents
