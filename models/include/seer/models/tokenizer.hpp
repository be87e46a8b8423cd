#pragma once

// Qwen2 byte-level BPE tokenizer (plain C++: no libtorch, no core/).
// Reads a Hugging Face tokenizer.json or a vocab.json + merges.txt pair; encodes with NFC
// normalisation, added/special tokens matched whole, the Qwen2 pre-tokenizer regex and BPE
// by merge rank; decodes with byte-level reversal, also incrementally (StreamingDecoder).

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seer::models {

using TokenId = std::int32_t;

// Any problem reading tokenizer files or encoding text; the message names the file.
class TokenizerError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A token outside the BPE vocabulary, matched as a whole in the raw text before
// normalisation and pre-tokenisation.
struct AddedToken {
  TokenId id = 0;
  std::string content;
  bool special = true;  // special tokens are only matched when encode() allows them
};

// The ids BAGEL's prompt format uses; absent when the vocabulary does not define them.
struct Qwen2SpecialIds {
  std::optional<TokenId> endoftext;     // <|endoftext|>
  std::optional<TokenId> im_start;      // <|im_start|>
  std::optional<TokenId> im_end;        // <|im_end|>
  std::optional<TokenId> vision_start;  // <|vision_start|>
  std::optional<TokenId> vision_end;    // <|vision_end|>
};

class Qwen2Tokenizer {
 public:
  // A Hugging Face tokenizer.json (model type BPE, merges as "a b" strings or pairs).
  static Qwen2Tokenizer load(const std::filesystem::path& tokenizer_json);
  // The slow tokenizer's files; NFC and the Qwen2 regex are implied.
  static Qwen2Tokenizer load_vocab_merges(const std::filesystem::path& vocab_json,
                                          const std::filesystem::path& merges_txt,
                                          std::vector<AddedToken> added_tokens = {});
  // A model directory's tokenizer: tokenizer.json, else vocab.json + merges.txt (with the
  // added tokens of tokenizer_config.json when present).
  static Qwen2Tokenizer load_directory(const std::filesystem::path& directory);
  // The `added_tokens_decoder` table of a tokenizer_config.json.
  static std::vector<AddedToken> read_added_tokens(
      const std::filesystem::path& tokenizer_config_json);

  Qwen2Tokenizer(Qwen2Tokenizer&&) noexcept;
  Qwen2Tokenizer& operator=(Qwen2Tokenizer&&) noexcept;
  ~Qwen2Tokenizer();

  // Throws TokenizerError for text that is not valid UTF-8.
  std::vector<TokenId> encode(std::string_view text, bool allow_special = true) const;
  // Unknown ids (e.g. the padded rows of the embedding) decode to nothing; bytes that do not
  // form UTF-8 become U+FFFD.
  std::string decode(std::span<const TokenId> ids, bool skip_special = false) const;

  std::optional<TokenId> token_to_id(std::string_view token) const;
  // The token as stored in the vocabulary (byte-level characters, e.g. "Ġhello").
  std::optional<std::string> id_to_token(TokenId id) const;
  // Highest known id + 1 (regular and added tokens).
  std::size_t vocab_size() const;
  bool is_special(TokenId id) const;
  const Qwen2SpecialIds& special_ids() const;

  // The raw bytes token `id` stands for (maybe a partial UTF-8 character); appends nothing
  // for an unknown id, or for a special token when skip_special is set.
  void append_token_bytes(TokenId id, std::string& out, bool skip_special) const;

  struct Impl;

 private:
  explicit Qwen2Tokenizer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Turns ids into text one at a time without ever cutting a UTF-8 character: bytes of an
// incomplete character are held back until the tokens completing it arrive.
class StreamingDecoder {
 public:
  explicit StreamingDecoder(const Qwen2Tokenizer& tokenizer, bool skip_special = false);

  // The text that became complete with this id (often empty mid-character).
  std::string push(TokenId id);
  // Whatever is still held back (an unfinished character becomes U+FFFD); resets the state.
  std::string finish();

 private:
  const Qwen2Tokenizer* tokenizer_;
  bool skip_special_;
  std::string pending_;
};

}  // namespace seer::models
