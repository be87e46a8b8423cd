// Reconnect delays: doubling up to the cap, jitter within its bounds, reset after success.

#include "reconnect_backoff.hpp"

#include <gtest/gtest.h>

#include <set>

namespace seer::camera {
namespace {

using std::chrono::milliseconds;

TEST(ReconnectBackoff, DoublesUpToTheCapAndResets) {
  ReconnectBackoff backoff(
      {.initial = milliseconds(500), .max = milliseconds(30'000), .jitter = 0});
  const std::vector<milliseconds> expected = {
      milliseconds(500),  milliseconds(1000),   milliseconds(2000),   milliseconds(4000),
      milliseconds(8000), milliseconds(16'000), milliseconds(30'000), milliseconds(30'000)};
  for (const milliseconds delay : expected) EXPECT_EQ(backoff.next(), delay);
  backoff.reset();
  EXPECT_EQ(backoff.next(), milliseconds(500));
}

TEST(ReconnectBackoff, JitterSpreadsDelaysWithinItsBounds) {
  std::set<milliseconds::rep> seen;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    ReconnectBackoff backoff(
        {.initial = milliseconds(1000), .max = milliseconds(8000), .jitter = 0.25}, seed);
    const milliseconds first = backoff.next();
    EXPECT_GE(first, milliseconds(750));
    EXPECT_LE(first, milliseconds(1250));
    seen.insert(first.count());
    for (int i = 0; i < 10; ++i) EXPECT_LE(backoff.next(), milliseconds(8000)) << "capped";
  }
  EXPECT_GT(seen.size(), 10u) << "delays differ between cameras";
}

}  // namespace
}  // namespace seer::camera
