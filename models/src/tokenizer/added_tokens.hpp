#pragma once

// Finds added tokens (e.g. <|im_start|>) in raw text so they become single ids and the text
// between them goes through normalisation and BPE.

#include <optional>
#include <string_view>
#include <vector>

#include "seer/models/tokenizer.hpp"

namespace seer::models::tokenizer {

// A stretch of the input: either an added token (id set) or ordinary text.
struct TextSegment {
  std::string_view text;
  std::optional<TokenId> added_token;
};

class AddedTokenMatcher {
 public:
  explicit AddedTokenMatcher(std::vector<AddedToken> tokens);

  // Leftmost-longest matching, as HF's added vocabulary does; special tokens only when
  // `allow_special`. Segments point into `text`.
  std::vector<TextSegment> split(std::string_view text, bool allow_special) const;

  const std::vector<AddedToken>& tokens() const { return tokens_; }

 private:
  std::vector<AddedToken> tokens_;
};

}  // namespace seer::models::tokenizer
