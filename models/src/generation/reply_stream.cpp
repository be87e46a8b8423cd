#include "reply_stream.hpp"

#include <utility>

namespace seer::models {

ReplyStream::ReplyStream(const Qwen2Tokenizer& tokenizer, std::vector<std::string> stop, bool think,
                         const ReplyCallback& on_piece)
    : decoder_(tokenizer), stop_(std::move(stop)), on_piece_(on_piece) {
  if (think) splitter_.emplace();
}

bool ReplyStream::push(std::int64_t token) {
  const StopStringMatcher::Result result = stop_.push(decoder_.push(static_cast<TokenId>(token)));
  stopped_by_text_ = result.stopped;
  return deliver(result.text, false) && !result.stopped;
}

void ReplyStream::finish() {
  std::string rest;
  if (!stopped_by_text_) {
    const StopStringMatcher::Result result = stop_.push(decoder_.finish());
    stopped_by_text_ = result.stopped;
    rest = result.text + (result.stopped ? std::string() : stop_.finish());
  }
  deliver(rest, true);
}

bool ReplyStream::deliver(const std::string& text, bool final) {
  if (!splitter_) return emit(text, false);
  ThinkingSplitter::Pieces pieces = splitter_->push(text);
  if (final) {
    ThinkingSplitter::Pieces rest = splitter_->finish();
    pieces.thinking += rest.thinking;
    pieces.answer += rest.answer;
  }
  const bool more = emit(pieces.thinking, true);
  return emit(pieces.answer, false) && more;
}

bool ReplyStream::emit(const std::string& text, bool thinking) {
  if (text.empty()) return !declined_;
  (thinking ? thinking_ : answer_) += text;
  if (!declined_ && on_piece_ && !on_piece_({.text = text, .thinking = thinking})) {
    declined_ = true;
  }
  return !declined_;
}

}  // namespace seer::models
