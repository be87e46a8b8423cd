#pragma once

// The pre-tokenizer: splits normalised text into the pieces BPE runs on, with a PCRE2 regex
// (Unicode classes such as \p{L} are beyond std::regex).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seer::models::tokenizer {

// Qwen2's pattern, used when the tokenizer files do not give one.
inline constexpr std::string_view kQwen2PretokenizerPattern =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// HF's Split pre-tokenizer with behaviour "Isolated": every match is a piece, and so is every
// stretch of text between matches.
class RegexSplitter {
 public:
  // Throws TokenizerError with PCRE2's message and the offset when the pattern is invalid.
  explicit RegexSplitter(std::string_view pattern);
  RegexSplitter(RegexSplitter&&) noexcept;
  RegexSplitter& operator=(RegexSplitter&&) noexcept;
  ~RegexSplitter();

  // Appends the pieces of `text` (valid UTF-8) to `pieces`; they point into `text`.
  void split(std::string_view text, std::vector<std::string_view>& pieces) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct CompiledPattern;
  std::string pattern_;
  std::unique_ptr<CompiledPattern> compiled_;
};

}  // namespace seer::models::tokenizer
