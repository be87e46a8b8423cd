#include "seer/models/tokenizer.hpp"
#include "utf8.hpp"

namespace seer::models {

StreamingDecoder::StreamingDecoder(const Qwen2Tokenizer& tokenizer, bool skip_special)
    : tokenizer_(&tokenizer), skip_special_(skip_special) {}

std::string StreamingDecoder::push(TokenId id) {
  tokenizer_->append_token_bytes(id, pending_, skip_special_);
  std::string text;
  // The same lossy scan as decode(), stopped before an unfinished character, so the pieces
  // joined always equal decode() of all ids.
  const std::size_t consumed = tokenizer::append_utf8_lossy(pending_, text, /*at_end=*/false);
  pending_.erase(0, consumed);
  return text;
}

std::string StreamingDecoder::finish() {
  std::string text;
  tokenizer::append_utf8_lossy(pending_, text, /*at_end=*/true);
  pending_.clear();
  return text;
}

}  // namespace seer::models
