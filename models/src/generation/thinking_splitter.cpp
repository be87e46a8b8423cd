#include "seer/models/thinking_splitter.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace seer::models {
namespace {

constexpr std::string_view kOpenTag = "<think>";
constexpr std::string_view kCloseTag = "</think>";

// Bytes at the end of `text` that could begin `tag` (so must wait for the next piece).
std::size_t tag_prefix_length(std::string_view text, std::string_view tag) {
  for (std::size_t length = std::min(text.size(), tag.size() - 1); length > 0; --length) {
    if (text.substr(text.size() - length) == tag.substr(0, length)) return length;
  }
  return 0;
}

std::string_view trim_leading_space(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  return text;
}

}  // namespace

ThinkingSplitter::Pieces ThinkingSplitter::push(std::string_view text) {
  held_ += text;
  Pieces pieces;
  for (;;) {
    if (state_ == State::kBeforeThinking) {
      const std::string_view start = trim_leading_space(held_);
      if (start.size() < kOpenTag.size() && kOpenTag.starts_with(start)) return pieces;
      if (start.starts_with(kOpenTag)) {
        held_ = std::string(trim_leading_space(start.substr(kOpenTag.size())));
        state_ = State::kThinking;
        continue;
      }
      state_ = State::kAnswer;  // no reasoning block: everything is the answer
    }
    if (state_ == State::kThinking) {
      const std::size_t close = held_.find(kCloseTag);
      if (close != std::string::npos) {
        pieces.thinking += held_.substr(0, close);
        held_.erase(0, close + kCloseTag.size());
        state_ = State::kAnswer;
        continue;
      }
      const std::size_t keep = tag_prefix_length(held_, kCloseTag);
      pieces.thinking += held_.substr(0, held_.size() - keep);
      held_.erase(0, held_.size() - keep);
      return pieces;
    }
    if (!answer_started_) {  // the answer starts at its first non-space character
      held_ = std::string(trim_leading_space(held_));
      answer_started_ = !held_.empty();
    }
    pieces.answer += held_;
    held_.clear();
    return pieces;
  }
}

ThinkingSplitter::Pieces ThinkingSplitter::finish() {
  Pieces pieces;
  (state_ == State::kThinking ? pieces.thinking : pieces.answer) = std::exchange(held_, {});
  return pieces;
}

}  // namespace seer::models
