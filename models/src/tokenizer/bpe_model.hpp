#pragma once

// The BPE model: vocabulary, merge ranks and the merge loop for one pre-token.

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "seer/models/tokenizer.hpp"

namespace seer::models::tokenizer {

// A merge rule as read from a file: two vocabulary tokens (byte-level characters).
using MergeRule = std::pair<std::string, std::string>;

class BpeModel {
 public:
  // `vocabulary` maps token text (byte-level characters) to id; merges are in rank order.
  // Throws TokenizerError (naming `source`) for a merge whose tokens are not in the vocabulary.
  BpeModel(std::unordered_map<std::string, TokenId> vocabulary,
           const std::vector<MergeRule>& merges, const std::string& source);

  // The ids of one pre-token given as raw bytes; results are cached.
  std::vector<TokenId> encode_piece(std::string_view raw_bytes) const;

  const std::unordered_map<std::string, TokenId>& vocabulary() const { return vocabulary_; }

 private:
  struct MergeResult {
    std::int32_t rank;
    TokenId merged;
  };

  static std::uint64_t pair_key(TokenId left, TokenId right) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(left)) << 32) |
           static_cast<std::uint32_t>(right);
  }

  std::vector<TokenId> merge(std::string_view raw_bytes) const;

  std::unordered_map<std::string, TokenId> vocabulary_;
  std::unordered_map<std::uint64_t, MergeResult> merges_;
  std::array<TokenId, 256> id_of_byte_{};  // -1 where the byte's character has no token

  // Most pre-tokens are common words, so their merges are remembered (bounded).
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<TokenId>> cache_;
};

}  // namespace seer::models::tokenizer
