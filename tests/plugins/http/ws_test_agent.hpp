#pragma once
// A scripted agent for the /ws tests: streams its pieces (waiting `piece_delay` before each,
// waking early when cancelled), or floods `flood_piece_bytes`-sized pieces until the server
// stops it, or throws part way; records every turn and whether a turn was cancelled.

#include <seer/services/agent.hpp>

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace seer::http::test {

class WsTestAgent final : public Agent {
 public:
  explicit WsTestAgent(std::string name) : name_(std::move(name)) {}

  std::vector<std::string> pieces{"I see ", "you."};
  std::chrono::milliseconds piece_delay{0};
  std::size_t flood_piece_bytes = 0;  // > 0: pieces of this size until on_piece says stop
  int throw_after = -1;               // >= 0: throws after this many pieces, as a broken model

  // A turn as the agent saw it (the images' pixels are not kept: they belong to the plugin).
  struct SeenTurn {
    std::string session;
    std::string text;
    std::size_t images = 0;
    int max_new_tokens = 0;  // from the options, 0 when the turn had none
  };

  std::string name() const override { return name_; }

  AgentReply say(const AgentTurn& turn, const TokenCallback& on_piece,
                 std::stop_token cancel) override {
    {
      const std::lock_guard lock(mutex_);
      turns_.push_back({.session = turn.session,
                        .text = turn.text,
                        .images = turn.images.size(),
                        .max_new_tokens = turn.options ? turn.options->max_new_tokens : 0});
    }
    ++running_;
    AgentReply reply;
    reply.result = {.done_reason = "stop", .prompt_tokens = 5};
    if (flood_piece_bytes > 0) {
      const std::string piece(flood_piece_bytes, 'x');
      // Bounded, so a server that never stops it cannot hang the test.
      for (int i = 0; i < 100'000 && on_piece(piece); ++i) ++reply.result.generated_tokens;
      if (cancel.stop_requested()) cancelled_ = true;
      reply.result.done_reason = "cancelled";
    } else {
      for (const std::string& piece : pieces) {
        if (throw_after == reply.result.generated_tokens) {
          --running_;
          throw std::runtime_error("the model broke mid-reply");
        }
        std::unique_lock lock(mutex_);
        static_cast<void>(wake_.wait_for(lock, cancel, piece_delay, [] { return false; }));
        lock.unlock();
        if (cancel.stop_requested()) {
          cancelled_ = true;
          reply.result.done_reason = "cancelled";
          break;
        }
        reply.result.text += piece;
        ++reply.result.generated_tokens;
        if (!on_piece(piece)) break;
      }
    }
    reply.result.prompt_nanoseconds = 2'000;
    reply.result.generation_nanoseconds = 3'000;
    reply.vision_report = boost::json::object{{"people", 1}};
    reply.actions.push_back({.tool = "set_light",
                             .arguments = {{"state", "on"}},
                             .result = boost::json::object{{"ok", true}}});
    --running_;
    return reply;
  }

  boost::json::value look(std::stop_token) override {
    ++looks_;
    return boost::json::object{{"people", 2}, {"description", "two people at a table"}};
  }
  void forget(const std::string&) override {}

  std::vector<SeenTurn> turns() const {
    const std::lock_guard lock(mutex_);
    return turns_;
  }
  bool cancelled() const { return cancelled_; }
  int running() const { return running_; }
  int looks() const { return looks_; }

 private:
  std::string name_;
  mutable std::mutex mutex_;
  std::condition_variable_any wake_;
  std::vector<SeenTurn> turns_;
  std::atomic<bool> cancelled_{false};
  std::atomic<int> running_{0};
  std::atomic<int> looks_{0};
};

}  // namespace seer::http::test
