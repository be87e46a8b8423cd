#pragma once

// Think mode's output is "<think> reasoning </think> answer": this splits streamed text into
// the reasoning and the answer as it arrives (Ollama's `thinking` and `content`), holding back
// only what could still be the start of a tag.

#include <string>
#include <string_view>

namespace seer::models {

class ThinkingSplitter {
 public:
  struct Pieces {
    std::string thinking;
    std::string answer;
  };
  Pieces push(std::string_view text);
  // Whatever was held back, as the part it belongs to.
  Pieces finish();

 private:
  enum class State { kBeforeThinking, kThinking, kAnswer };
  State state_ = State::kBeforeThinking;
  std::string held_;
  bool answer_started_ = false;
};

}  // namespace seer::models
