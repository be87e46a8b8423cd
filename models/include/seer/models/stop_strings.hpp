#pragma once

// Ollama's `stop` option on streamed text: text that might be the start of a stop string is
// held back until it is clear, and the text ends just before the first stop string found.

#include <string>
#include <string_view>
#include <vector>

namespace seer::models {

class StopStringMatcher {
 public:
  // Empty strings in `stop_strings` are ignored.
  explicit StopStringMatcher(std::vector<std::string> stop_strings);

  struct Result {
    std::string text;      // safe to pass on now
    bool stopped = false;  // a stop string was found; `text` ends before it
  };
  // Appends a piece of generated text; after a stop nothing more is accepted.
  Result push(std::string_view piece);
  // The text held back at the end of generation (no stop string completed).
  std::string finish();

 private:
  std::vector<std::string> stop_strings_;
  std::string held_;
  bool stopped_ = false;
};

}  // namespace seer::models
