#pragma once

// What a Qwen2Tokenizer holds, built from the parts read from its files.

#include <cstdint>
#include <string>
#include <vector>

#include "added_tokens.hpp"
#include "bpe_model.hpp"
#include "pretokenizer.hpp"
#include "seer/models/tokenizer.hpp"
#include "tokenizer_files.hpp"

namespace seer::models {

struct Qwen2Tokenizer::Impl {
  explicit Impl(tokenizer::TokenizerParts parts);

  enum class IdKind : std::uint8_t { unknown, regular, added, special };

  std::string source;
  tokenizer::BpeModel model;
  tokenizer::AddedTokenMatcher added_tokens;
  tokenizer::RegexSplitter splitter;
  bool nfc;
  // Indexed by id: the token's text as stored, the raw bytes it decodes to, and its kind.
  std::vector<std::string> token_of_id;
  std::vector<std::string> bytes_of_id;
  std::vector<IdKind> kind_of_id;
  Qwen2SpecialIds special_ids;
};

}  // namespace seer::models
