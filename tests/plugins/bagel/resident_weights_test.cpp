// ResidentWeights: Ollama's keep_alive over weights that leave memory and come back, with a
// counting loader instead of a checkpoint (the state machine needs no libtorch).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "resident_weights.hpp"

namespace seer::bagel {
namespace {

using namespace std::chrono_literals;

struct Weights {
  int generation;
};

// Loads Weights{n} on its n-th call; fails while `failing` is set; takes `delay`.
struct CountingLoader {
  std::atomic<int> calls{0};
  std::atomic<bool> failing{false};
  std::chrono::milliseconds delay{0};

  ResidentWeights<Weights>::Loader loader() {
    return [this](const std::function<bool()>&) {
      std::this_thread::sleep_for(delay);
      const int call = ++calls;
      if (failing) throw std::runtime_error("checkpoint unreadable");
      return std::make_shared<const Weights>(Weights{call});
    };
  }
};

template <class Predicate>
bool eventually(Predicate predicate, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return predicate();
}

TEST(ResidentWeights, StayForEverByDefaultAndLoadOnce) {
  CountingLoader counting;
  ResidentWeights<Weights> weights(counting.loader(), std::nullopt);
  weights.load_first([] { return false; });
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(weights.acquire({})->generation, 1);
    weights.release(std::nullopt);
  }
  EXPECT_EQ(weights.state(), Residency::loaded);
  EXPECT_FALSE(weights.expires_at().has_value());
  EXPECT_EQ(counting.calls, 1);
}

TEST(ResidentWeights, KeepAliveZeroFreesAndTheNextRequestLoadsAgain) {
  CountingLoader counting;
  ResidentWeights<Weights> weights(counting.loader(), std::nullopt);
  std::vector<Residency> heard;
  std::mutex heard_mutex;
  weights.set_listener([&](Residency state) {
    const std::lock_guard lock(heard_mutex);
    heard.push_back(state);
  });
  weights.load_first([] { return false; });
  weights.acquire({});
  weights.release(0s);
  EXPECT_EQ(weights.state(), Residency::unloaded);
  EXPECT_EQ(weights.acquire({})->generation, 2);
  weights.release(std::nullopt);
  EXPECT_EQ(weights.state(), Residency::loaded);
  const std::lock_guard lock(heard_mutex);
  EXPECT_EQ(heard, (std::vector<Residency>{Residency::loaded, Residency::unloaded,
                                           Residency::loading, Residency::loaded}));
}

TEST(ResidentWeights, ExpireAfterTheirKeepAliveOfIdleTime) {
  CountingLoader counting;
  ResidentWeights<Weights> weights(counting.loader(), std::nullopt);
  weights.load_first([] { return false; });
  weights.acquire({});
  weights.release(100ms);
  ASSERT_TRUE(weights.expires_at().has_value());
  EXPECT_EQ(weights.state(), Residency::loaded);
  EXPECT_TRUE(eventually([&] { return weights.state() == Residency::unloaded; }));
  EXPECT_FALSE(weights.expires_at().has_value());
}

TEST(ResidentWeights, TheDefaultKeepAliveAppliesToRequestsThatNameNone) {
  CountingLoader counting;
  ResidentWeights<Weights> weights(counting.loader(), Duration(50ms));
  weights.load_first([] { return false; });
  EXPECT_TRUE(eventually([&] { return weights.state() == Residency::unloaded; }));
  weights.acquire({});
  weights.release(std::nullopt);
  EXPECT_TRUE(eventually([&] { return weights.state() == Residency::unloaded; }));
  EXPECT_EQ(counting.calls, 2);
}

TEST(ResidentWeights, AreNeverFreedUnderARunningRequest) {
  CountingLoader counting;
  ResidentWeights<Weights> weights(counting.loader(), std::nullopt);
  weights.load_first([] { return false; });
  const auto first = weights.acquire({});
  const auto second = weights.acquire({});
  weights.keep_alive(0s);
  EXPECT_EQ(weights.state(), Residency::loaded) << "two requests hold them";
  weights.release(0s);
  EXPECT_EQ(weights.state(), Residency::loaded) << "one request still holds them";
  weights.release(0s);
  EXPECT_EQ(weights.state(), Residency::unloaded);
  EXPECT_EQ(first->generation, 1) << "what a request held stays valid";
}

TEST(ResidentWeights, ConcurrentRequestsReloadOnce) {
  CountingLoader counting;
  counting.delay = 50ms;
  ResidentWeights<Weights> weights(counting.loader(), std::nullopt);
  weights.load_first([] { return false; });
  weights.keep_alive(0s);
  std::vector<std::jthread> requests;
  std::atomic<int> served{0};
  for (int i = 0; i < 8; ++i) {
    requests.emplace_back([&] {
      const auto held = weights.acquire({});
      const ResidentWeights<Weights>::Hold hold(weights, std::nullopt);
      if (held->generation == 2) ++served;
    });
  }
  requests.clear();
  EXPECT_EQ(served, 8);
  EXPECT_EQ(counting.calls, 2);
}

TEST(ResidentWeights, AFailedFirstLoadFailsEveryRequest) {
  CountingLoader counting;
  counting.failing = true;
  ResidentWeights<Weights> weights(counting.loader(), std::nullopt);
  EXPECT_THROW(weights.load_first([] { return false; }), std::runtime_error);
  EXPECT_EQ(weights.state(), Residency::failed);
  EXPECT_EQ(weights.failure(), "checkpoint unreadable");
  counting.failing = false;
  EXPECT_THROW(weights.acquire({}), std::runtime_error);
}

TEST(ResidentWeights, AFailedReloadFailsOnlyThatRequest) {
  CountingLoader counting;
  ResidentWeights<Weights> weights(counting.loader(), std::nullopt);
  weights.load_first([] { return false; });
  weights.keep_alive(0s);
  counting.failing = true;
  EXPECT_THROW(weights.acquire({}), std::runtime_error);
  EXPECT_EQ(weights.state(), Residency::unloaded);
  counting.failing = false;
  EXPECT_EQ(weights.acquire({})->generation, 3);
  weights.release(std::nullopt);
}

TEST(ResidentWeights, FailingFreesTheWeightsAndRefusesRequests) {
  CountingLoader counting;
  ResidentWeights<Weights> weights(counting.loader(), std::nullopt);
  weights.load_first([] { return false; });
  weights.fail("the model is shut down");
  EXPECT_EQ(weights.state(), Residency::failed);
  try {
    weights.acquire({});
    FAIL() << "acquire after fail";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "the model is shut down");
  }
}

}  // namespace
}  // namespace seer::bagel
