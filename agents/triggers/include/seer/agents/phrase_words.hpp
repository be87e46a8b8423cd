#pragma once
// Phrases and chat text as words, so "Sophia, LOOK at me!" contains "look at me" and
// "overlook at meeting" does not: Unicode case folding and NFKC (utf8proc), then anything
// that is not a letter, a mark or a digit separates words.

#include <string>
#include <string_view>
#include <vector>

namespace seer::agents {

// The folded words of `text`. Throws std::invalid_argument when `text` is not UTF-8.
std::vector<std::string> phrase_words(std::string_view text);

// True when `phrase` (non-empty) occurs in `text` as consecutive whole words.
bool contains_words(const std::vector<std::string>& text, const std::vector<std::string>& phrase);

}  // namespace seer::agents
