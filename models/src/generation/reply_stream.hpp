#pragma once

// Turns generated ids into the reply's text as it streams: whole UTF-8 only, stop strings
// held back and honoured, think mode's reasoning told apart from the answer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "seer/models/conversation.hpp"
#include "seer/models/stop_strings.hpp"
#include "seer/models/thinking_splitter.hpp"
#include "seer/models/tokenizer.hpp"

namespace seer::models {

class ReplyStream {
 public:
  ReplyStream(const Qwen2Tokenizer& tokenizer, std::vector<std::string> stop, bool think,
              const ReplyCallback& on_piece);

  // False once a stop string is complete or the callback declined more.
  bool push(std::int64_t token);
  // Flushes what was held back (at the end of generation).
  void finish();

  const std::string& answer() const { return answer_; }
  const std::string& thinking() const { return thinking_; }
  bool stopped_by_text() const { return stopped_by_text_; }

 private:
  // Splits `text` into reasoning/answer and hands both on; false when the callback declines.
  bool deliver(const std::string& text, bool final);
  bool emit(const std::string& text, bool thinking);

  StreamingDecoder decoder_;
  StopStringMatcher stop_;
  std::optional<ThinkingSplitter> splitter_;
  const ReplyCallback& on_piece_;
  std::string answer_;
  std::string thinking_;
  bool stopped_by_text_ = false;
  bool declined_ = false;
};

}  // namespace seer::models
