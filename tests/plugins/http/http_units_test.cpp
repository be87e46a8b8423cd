// The plugin's parts on their own: keep_alive, base64, the bearer token and the worker pool.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>

#include "base64_image.hpp"
#include "bearer_token.hpp"
#include "generation_pool.hpp"
#include "ollama_request.hpp"

namespace seer::http {
namespace {

TEST(KeepAlive, TakesGoDurationsAndSecondsAndMakesNegativeForever) {
  EXPECT_EQ(parse_keep_alive("5m"), std::chrono::minutes(5));
  EXPECT_EQ(parse_keep_alive("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(parse_keep_alive("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(parse_keep_alive("0"), Duration(0));
  EXPECT_EQ(parse_keep_alive("-1m"), Duration(-1));
  EXPECT_EQ(parse_keep_alive(3600), std::chrono::hours(1));
  EXPECT_EQ(parse_keep_alive(-1), Duration(-1));
  EXPECT_EQ(parse_keep_alive(0), Duration(0));
  EXPECT_THROW(parse_keep_alive("soon"), BadRequest);
  EXPECT_THROW(parse_keep_alive("5"), BadRequest);
  EXPECT_THROW(parse_keep_alive(true), BadRequest);
}

TEST(Base64, DecodesWithAndWithoutPaddingAndRefusesGarbage) {
  const auto text = [](const std::vector<std::byte>& bytes) {
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  };
  EXPECT_EQ(text(decode_base64("aGVsbG8=")), "hello");
  EXPECT_EQ(text(decode_base64("aGk=")), "hi");
  EXPECT_EQ(text(decode_base64("YWJj")), "abc");
  EXPECT_EQ(text(decode_base64("data:image/png;base64,YWJj")), "abc");
  EXPECT_THROW(decode_base64("YWJ"), BadRequest);
  EXPECT_THROW(decode_base64("Y*Jj"), BadRequest);
  EXPECT_THROW(decode_base64(""), BadRequest);
}

TEST(BearerToken, MatchesOnlyTheExactToken) {
  EXPECT_TRUE(bearer_token_matches("Bearer abc123", "abc123"));
  EXPECT_TRUE(bearer_token_matches("BEARER abc123", "abc123"));
  EXPECT_FALSE(bearer_token_matches("Bearer abc12", "abc123"));
  EXPECT_FALSE(bearer_token_matches("Bearer abc1234", "abc123"));
  EXPECT_FALSE(bearer_token_matches("Basic abc123", "abc123"));
  EXPECT_FALSE(bearer_token_matches("", "abc123"));
}

TEST(GenerationPool, RunsJobsOnItsWorkersAndRefusesBeyondTheQueue) {
  GenerationPool pool(1, 1);
  std::latch release(1);
  std::latch started(1);
  std::atomic<int> ran{0};
  ASSERT_TRUE(pool.submit([&] {
    started.count_down();
    release.wait();
    ++ran;
  }));
  started.wait();
  EXPECT_TRUE(pool.submit([&] { ++ran; })) << "one may wait";
  EXPECT_FALSE(pool.submit([&] { ++ran; })) << "the queue is full";
  release.count_down();
  pool.stop();
  EXPECT_GE(ran, 1);
  EXPECT_FALSE(pool.submit([] {})) << "stopped";
}

}  // namespace
}  // namespace seer::http
