#include "added_tokens.hpp"

#include <cstddef>
#include <string>
#include <utility>

namespace seer::models::tokenizer {

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
  std::erase_if(tokens_, [](const AddedToken& token) { return token.content.empty(); });
}

std::vector<TextSegment> AddedTokenMatcher::split(std::string_view text, bool allow_special) const {
  constexpr std::size_t kNotFound = std::string_view::npos;
  // Next occurrence of each token at or after the cursor; refreshed only when passed, so the
  // whole scan costs one pass over the text per token.
  std::vector<std::size_t> next_at(tokens_.size(), 0);
  for (std::size_t i = 0; i < tokens_.size(); ++i) {
    const bool usable = allow_special || !tokens_[i].special;
    next_at[i] = usable ? text.find(tokens_[i].content) : kNotFound;
  }

  std::vector<TextSegment> segments;
  std::size_t cursor = 0;
  while (cursor < text.size()) {
    std::size_t best = tokens_.size();
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      if (next_at[i] != kNotFound && next_at[i] < cursor) {
        next_at[i] = text.find(tokens_[i].content, cursor);
      }
      if (next_at[i] == kNotFound) continue;
      if (best == tokens_.size() || next_at[i] < next_at[best] ||
          (next_at[i] == next_at[best] &&
           tokens_[i].content.size() > tokens_[best].content.size())) {
        best = i;
      }
    }
    if (best == tokens_.size()) break;
    const std::size_t start = next_at[best];
    if (start > cursor) segments.push_back({text.substr(cursor, start - cursor), std::nullopt});
    segments.push_back({text.substr(start, tokens_[best].content.size()), tokens_[best].id});
    cursor = start + tokens_[best].content.size();
  }
  if (cursor < text.size()) segments.push_back({text.substr(cursor), std::nullopt});
  return segments;
}

}  // namespace seer::models::tokenizer
