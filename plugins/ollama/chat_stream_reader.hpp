#pragma once
// Reads the NDJSON of a streamed /api/chat reply as it arrives: lines may span reads and one
// read may hold several. Content pieces go to the caller's callback at once; thinking, tool
// calls and the final chunk's counts collect into a GenerationResult.

#include <seer/services/generation.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace seer::ollama {

// The server said something we cannot go on from: an {"error": ...} line or a line that is
// not the JSON of a chat chunk. what() is the server's error text or what was wrong.
class StreamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ChatStreamReader {
 public:
  explicit ChatStreamReader(const TokenCallback& on_piece) : on_piece_(on_piece) {}

  // Takes the next bytes of the body. Returns false when the callback asked to stop; throws
  // StreamError. Bytes after the final chunk are ignored.
  bool feed(std::string_view bytes);
  // The body ended: reads a last line that had no newline. Returns false as feed() does.
  bool finish();

  bool done() const { return done_; }
  // Lines read so far: zero until the first chunk has arrived.
  std::size_t chunks() const { return chunks_; }
  GenerationResult& result() { return result_; }

 private:
  bool read_line(std::string_view line);

  const TokenCallback& on_piece_;
  std::string partial_line_;
  std::size_t chunks_ = 0;
  bool done_ = false;
  GenerationResult result_;
};

}  // namespace seer::ollama
