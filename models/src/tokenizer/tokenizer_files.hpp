#pragma once

// Reading tokenizer files into the parts a Qwen2Tokenizer is built from.

#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

#include "bpe_model.hpp"
#include "seer/models/tokenizer.hpp"

namespace seer::models::tokenizer {

struct TokenizerParts {
  std::string source;  // the file(s) read, for error messages
  std::unordered_map<std::string, TokenId> vocabulary;
  std::vector<MergeRule> merges;
  std::vector<AddedToken> added_tokens;
  std::string pretokenizer_pattern;
  bool nfc = true;
};

// Each throws TokenizerError naming the file when it is missing, not JSON or not as expected.
TokenizerParts read_tokenizer_json(const std::filesystem::path& path);
TokenizerParts read_vocab_merges(const std::filesystem::path& vocab_json,
                                 const std::filesystem::path& merges_txt);
std::vector<AddedToken> read_added_tokens_decoder(const std::filesystem::path& config_json);

}  // namespace seer::models::tokenizer
