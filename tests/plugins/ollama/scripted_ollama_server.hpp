#pragma once
// An Ollama-compatible server for tests: Boost.Beast on 127.0.0.1 (an ephemeral port), its
// own thread, answering each path with scripted replies — NDJSON chunks with delays, error
// statuses, streams that fail, drop or hang — and recording every request it gets.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace seer::ollama::test {

struct ScriptedChunk {
  std::chrono::milliseconds delay{0};  // before this chunk is written
  std::string text;
};

struct ScriptedReply {
  enum class Ending {
    complete,  // the last HTTP chunk, then the connection closes
    drop,      // the connection closes without the last HTTP chunk
    hang,      // nothing more is written until the server stops
  };
  unsigned status = 200;
  // For 200: HTTP chunks, one per entry. For other statuses: the body, written at once.
  std::vector<ScriptedChunk> chunks;
  Ending ending = Ending::complete;
  bool silent = false;  // reads the request, then never answers
};

struct RecordedRequest {
  std::string method;
  std::string target;
  std::string authorization;
  boost::json::value body;  // null when it was not JSON
};

class ScriptedOllamaServer {
 public:
  ScriptedOllamaServer();
  ~ScriptedOllamaServer();
  ScriptedOllamaServer(const ScriptedOllamaServer&) = delete;
  ScriptedOllamaServer& operator=(const ScriptedOllamaServer&) = delete;

  // Replies for `target` ("/api/chat"), used in order; the last one is kept for every later
  // request. Unscripted paths answer 404 {"error": "..."}.
  void script(const std::string& target, ScriptedReply reply);
  std::string url() const;
  unsigned short port() const { return port_; }
  std::vector<RecordedRequest> requests() const;
  // True when `count` requests have arrived within `timeout`.
  bool wait_for_requests(std::size_t count,
                         std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  // Streaming connections the client closed while the server was still on them; true when
  // `count` have within `timeout`.
  bool wait_for_hangups(std::size_t count,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;
  void stop();

 private:
  class Session;
  struct Shared;
  void accept();

  std::shared_ptr<Shared> shared_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
};

// One NDJSON line of a streamed chat reply carrying `content` (and `thinking`).
std::string content_line(const std::string& content, const std::string& thinking = "");
// The final chunk: done, done_reason and the counts and durations Ollama sends.
std::string final_line(const std::string& done_reason = "stop");
// Any JSON object as an NDJSON line.
std::string json_line(const boost::json::object& object);
// A streamed 200 reply with these lines, written one HTTP chunk each, `gap` apart.
ScriptedReply streamed(std::vector<std::string> lines,
                       std::chrono::milliseconds gap = std::chrono::milliseconds(0));
// An error reply: `status` with {"error": message}.
ScriptedReply error_reply(unsigned status, const std::string& message);

}  // namespace seer::ollama::test
