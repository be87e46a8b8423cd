// The plugin's parts on their own: keep_alive, base64, the bearer token and the worker pool.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>

#include "base64_image.hpp"
#include "bearer_token.hpp"
#include "generation_pool.hpp"
#include "ollama_request.hpp"
#include "openai_request.hpp"

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
  // Found by fuzz/http_request_fuzzer: std::stod threw std::invalid_argument for ".m" (a 500
  // instead of a 400), and lengths past int64 nanoseconds overflowed.
  EXPECT_THROW(parse_keep_alive(".m"), BadRequest);
  EXPECT_THROW(parse_keep_alive("1.2.3s"), BadRequest);
  EXPECT_THROW(parse_keep_alive(boost::json::string(std::string(400, '9') + "h")), BadRequest);
  EXPECT_THROW(parse_keep_alive("3000000h"), BadRequest);
  EXPECT_THROW(parse_keep_alive(1e300), BadRequest);
  EXPECT_EQ(parse_keep_alive("2562047h"), std::chrono::hours(2562047));
  EXPECT_EQ(parse_keep_alive("1.5s"), std::chrono::milliseconds(1500));
}

// Found by fuzz/http_request_fuzzer: a number outside an integer option's range was cast to it
// (undefined behaviour); it is refused with the range instead.
TEST(RequestOptions, IntegerOptionsOutsideTheirTypeAreRefusedWithTheRange) {
  const auto ollama_error = [](std::string_view options) {
    try {
      parse_chat_call(R"({"model": "m", "messages": [], "options": )" + std::string(options) + "}");
    } catch (const BadRequest& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(ollama_error(R"({"seed": 6.6e68})"),
            "option seed must be a number from 0 to 18446744073709551615");
  EXPECT_EQ(ollama_error(R"({"top_k": 1e10})"),
            "option top_k must be a number from -2147483648 to 2147483647");
  EXPECT_EQ(ollama_error(R"({"num_ctx": -3e9})"),
            "option num_ctx must be a number from -2147483648 to 2147483647");
  EXPECT_EQ(ollama_error(R"({"num_predict": 1e300})"),
            "option num_predict must be a number from -2147483648 to 2147483647");
  // The edges of each range, fractions dropped, and a negative seed (random) still pass.
  const GenerationCall call = parse_chat_call(
      R"({"model": "m", "messages": [], "options": {"top_k": 2147483647.5, "num_ctx": 8192,)"
      R"( "seed": 18446744073709549568, "num_predict": 2.9}})");
  EXPECT_EQ(call.chat.options.top_k, 2147483647);
  EXPECT_EQ(call.chat.options.seed, 18446744073709549568u);
  EXPECT_EQ(call.chat.options.max_new_tokens, 2);
  EXPECT_EQ(ollama_error(R"({"seed": -1})"), "accepted");

  const auto openai_error = [](std::string_view fields) {
    try {
      parse_openai_chat_call(R"({"model": "m", "messages": [{"role": "user", "content": "x"}], )" +
                             std::string(fields) + "}");
    } catch (const BadRequest& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(openai_error(R"("max_tokens": 1e10)"),
            "max_tokens must be a number from -2147483648 to 2147483647");
  EXPECT_EQ(openai_error(R"("seed": 1.9e19)"),
            "seed must be a number from 0 to 18446744073709551615");
  EXPECT_EQ(openai_error(R"("top_k": -1e12)"),
            "top_k must be a number from -2147483648 to 2147483647");
  EXPECT_EQ(openai_error(R"("max_tokens": 0.5)"), "max_tokens must be at least 1");
  EXPECT_EQ(openai_error(R"("max_tokens": 100, "seed": 7)"), "accepted");
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
