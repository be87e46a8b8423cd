#pragma once
// One HTTP request over a plain socket whose streamed answer (NDJSON, SSE) the test reads as
// it arrives, to act in the middle of it and to see how it ends.

#include <chrono>
#include <cstdint>
#include <string>

namespace seer::test {

class RawHttpStream {
 public:
  // Connects to 127.0.0.1:`port` and sends a POST of `body` (JSON) to `target`.
  RawHttpStream(std::uint16_t port, const std::string& target, const std::string& body,
                const std::string& extra_headers = {});
  ~RawHttpStream();
  RawHttpStream(const RawHttpStream&) = delete;
  RawHttpStream& operator=(const RawHttpStream&) = delete;

  // Reads until what arrived holds `text`; false at the end of the stream or the timeout.
  bool read_until(const std::string& text, std::chrono::milliseconds timeout);
  // Reads until the server closes the connection; false at the timeout.
  bool read_until_closed(std::chrono::milliseconds timeout);
  // Everything received so far: the status line, the header and the (chunked) body.
  const std::string& received() const { return received_; }

 private:
  bool read_some(std::chrono::steady_clock::time_point deadline);  // false: closed or timed out
  int socket_ = -1;
  bool closed_ = false;
  std::string received_;
};

}  // namespace seer::test
