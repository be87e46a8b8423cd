// Concurrent conversations on one BatchedDecoder: each gets exactly what it gets alone, a
// cancelled one leaves the others intact, and requests beyond the slots wait for one.
#include "seer/models/batched_decoder.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <barrier>
#include <chrono>
#include <cstdint>
#include <future>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "fixture_support.hpp"
#include "seer/models/conversation.hpp"
#include "test_assets.hpp"
#include "tiny_bagel.hpp"

namespace seer::models {
namespace {

using namespace std::chrono_literals;
using test::kFixtureDir;
using test::tiny_static_decoder;
using test::tiny_tokenizer;

const VisionTower& tiny_vision() {
  static const VisionTower vision = VisionTower::load(kFixtureDir);
  return vision;
}

const std::vector<std::string> kPrompts{"Hello, how are you?", "What is in front of you?",
                                        "Describe the room.", "Tell me a story.",
                                        "Is anyone there?"};

Reply ask(BatchedDecoder& batched, const std::string& prompt, std::int64_t num_predict,
          const ReplyCallback& on_piece = {}, std::stop_token cancel = {}) {
  Conversation conversation(batched.open(tiny_vision()), tiny_tokenizer());
  conversation.add_text(prompt);
  return conversation.reply({.num_predict = num_predict}, on_piece, cancel);
}

// Each prompt's reply alone, in turn, on a decoder of one slot.
std::vector<Reply> alone(std::int64_t num_predict) {
  BatchedDecoder single(tiny_static_decoder(1, 512));
  std::vector<Reply> replies;
  for (const std::string& prompt : kPrompts) replies.push_back(ask(single, prompt, num_predict));
  return replies;
}

TEST(BatchedDecoding, ConcurrentRequestsGetWhatEachGetsAlone) {
  const std::vector<Reply> expected = alone(16);
  BatchedDecoder batched(tiny_static_decoder(static_cast<std::int64_t>(kPrompts.size()), 512));
  std::barrier start(static_cast<std::ptrdiff_t>(kPrompts.size()));
  std::vector<std::future<Reply>> replies;
  for (const std::string& prompt : kPrompts) {
    replies.push_back(std::async(std::launch::async, [&batched, &start, &prompt] {
      start.arrive_and_wait();
      return ask(batched, prompt, 16);
    }));
  }
  for (std::size_t i = 0; i < kPrompts.size(); ++i) {
    const Reply reply = replies[i].get();
    EXPECT_EQ(reply.token_ids, expected[i].token_ids) << kPrompts[i];
    EXPECT_EQ(reply.text, expected[i].text) << kPrompts[i];
  }
  EXPECT_EQ(batched.busy_slots(), 0);
}

TEST(BatchedDecoding, RequestsJoinAndLeaveWhileOthersDecode) {
  const std::vector<Reply> expected = alone(24);
  BatchedDecoder batched(tiny_static_decoder(3, 512));
  // A long request; two more join once it has streamed, one of them cancelled early.
  std::promise<void> streaming;
  std::future<Reply> first = std::async(std::launch::async, [&] {
    bool told = false;
    return ask(batched, kPrompts[0], 24, [&](const ReplyPiece&) {
      if (!told) streaming.set_value();
      told = true;
      return true;
    });
  });
  streaming.get_future().wait();
  std::stop_source cancel;
  std::future<Reply> cancelled = std::async(std::launch::async, [&] {
    int pieces = 0;
    return ask(
        batched, kPrompts[1], 24,
        [&](const ReplyPiece&) {
          if (++pieces == 2) cancel.request_stop();
          return true;
        },
        cancel.get_token());
  });
  std::future<Reply> third =
      std::async(std::launch::async, [&] { return ask(batched, kPrompts[2], 24); });
  EXPECT_EQ(first.get().token_ids, expected[0].token_ids);
  const Reply stopped = cancelled.get();
  EXPECT_EQ(stopped.done_reason, DoneReason::kCancelled);
  EXPECT_LT(stopped.eval_tokens, 24);
  // What it produced before the cancel is what it produces alone.
  EXPECT_EQ(stopped.token_ids,
            std::vector<std::int64_t>(expected[1].token_ids.begin(),
                                      expected[1].token_ids.begin() + stopped.eval_tokens));
  EXPECT_EQ(third.get().token_ids, expected[2].token_ids);
}

TEST(BatchedDecoding, RequestsBeyondTheSlotsWaitForOne) {
  BatchedDecoder batched(tiny_static_decoder(2, 512));
  auto first = batched.open(tiny_vision());
  auto second = batched.open(tiny_vision());
  EXPECT_EQ(batched.busy_slots(), 2);
  std::future<std::unique_ptr<DecodingSequence>> third =
      std::async(std::launch::async, [&] { return batched.open(tiny_vision()); });
  EXPECT_EQ(third.wait_for(200ms), std::future_status::timeout);
  first.reset();  // frees its slot
  ASSERT_EQ(third.wait_for(10s), std::future_status::ready);
  std::unique_ptr<DecodingSequence> reopened = third.get();
  EXPECT_EQ(reopened->length(), 0);  // a fresh slot

  std::stop_source cancel;
  std::future<void> waiting = std::async(std::launch::async, [&] {
    EXPECT_THROW(batched.open(tiny_vision(), cancel.get_token()), std::runtime_error);
  });
  EXPECT_EQ(waiting.wait_for(100ms), std::future_status::timeout);
  cancel.request_stop();
  waiting.get();

  // More requests than slots: all answered, each as alone.
  second.reset();
  reopened.reset();
  const std::vector<Reply> expected = alone(8);
  std::vector<std::future<Reply>> replies;
  for (const std::string& prompt : kPrompts) {
    replies.push_back(
        std::async(std::launch::async, [&batched, &prompt] { return ask(batched, prompt, 8); }));
  }
  for (std::size_t i = 0; i < kPrompts.size(); ++i) {
    EXPECT_EQ(replies[i].get().token_ids, expected[i].token_ids) << kPrompts[i];
  }
}

TEST(BatchedDecoding, ACallbackThatThrowsFailsOnlyItsRequest) {
  BatchedDecoder batched(tiny_static_decoder(2, 512));
  std::future<Reply> other =
      std::async(std::launch::async, [&] { return ask(batched, kPrompts[0], 12); });
  EXPECT_THROW(ask(batched, kPrompts[1], 12,
                   [](const ReplyPiece&) -> bool { throw std::runtime_error("client gone"); }),
               std::runtime_error);
  EXPECT_EQ(other.get().eval_tokens, 12);
}

}  // namespace
}  // namespace seer::models
