// Bus throughput and publish→handler latency, with a plain Boost.Asio post per event as the
// peer: the simplest way to hand work to a pool, which the bus has to compete with.
//
//   build/tools/bench/seer-bus-bench
#include <seer/bus.hpp>
#include <seer/executor.hpp>

#include <benchmark/benchmark.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace {

constexpr int kBatch = 1000;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void wait_until(const std::atomic<std::int64_t>& counter, std::int64_t target) {
  while (counter.load(std::memory_order_acquire) < target) std::this_thread::yield();
}

// One publisher, N subscribers, `block` policy: every event reaches every subscriber.
void BM_BusThroughput(benchmark::State& state) {
  const auto subscribers = static_cast<int>(state.range(0));
  seer::Executor executor(2);
  seer::Bus bus(executor);
  std::atomic<std::int64_t> delivered{0};
  std::vector<seer::Subscription> subscriptions;
  for (int i = 0; i < subscribers; ++i) {
    subscriptions.push_back(bus.subscribe(
        "bench/throughput",
        [&](const seer::EventPtr&) { delivered.fetch_add(1, std::memory_order_relaxed); },
        {.queue_capacity = 4096, .overflow = seer::OverflowPolicy::block}));
  }
  std::int64_t expected = 0;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) bus.publish("bench/throughput", boost::json::value(i));
    expected += static_cast<std::int64_t>(kBatch) * subscribers;
    wait_until(delivered, expected);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["deliveries/s"] =
      benchmark::Counter(static_cast<double>(expected), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BusThroughput)->Arg(1)->Arg(4)->Arg(16)->UseRealTime()->MinTime(2.0);

// The peer: one asio::post of a lambda per event and per subscriber, no queue, no policy.
void BM_PeerAsioPostThroughput(benchmark::State& state) {
  const auto subscribers = static_cast<int>(state.range(0));
  seer::Executor executor(2);
  std::atomic<std::int64_t> delivered{0};
  std::int64_t expected = 0;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      auto payload = std::make_shared<const boost::json::value>(i);
      for (int s = 0; s < subscribers; ++s) {
        boost::asio::post(executor.context(), [payload, &delivered] {
          benchmark::DoNotOptimize(payload.get());
          delivered.fetch_add(1, std::memory_order_relaxed);
        });
      }
    }
    expected += static_cast<std::int64_t>(kBatch) * subscribers;
    wait_until(delivered, expected);
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_PeerAsioPostThroughput)->Arg(1)->Arg(4)->Arg(16)->UseRealTime()->MinTime(2.0);

// Publishes at a fixed rate and records publish→handler latency per delivery.
void BM_BusLatencyAtRate(benchmark::State& state) {
  const auto subscribers = static_cast<int>(state.range(0));
  const auto rate = static_cast<std::int64_t>(state.range(1));
  constexpr std::int64_t kSeconds = 2;
  const std::int64_t events = rate * kSeconds;
  seer::Executor executor(2);
  seer::Bus bus(executor);
  std::vector<std::int64_t> latencies(static_cast<std::size_t>(events * subscribers));
  std::atomic<std::int64_t> delivered{0};
  std::vector<seer::Subscription> subscriptions;
  for (int i = 0; i < subscribers; ++i) {
    subscriptions.push_back(
        bus.subscribe("bench/latency",
                      [&](const seer::EventPtr& event) {
                        const std::int64_t latency = now_ns() - event->payload.as_int64();
                        latencies[static_cast<std::size_t>(delivered.fetch_add(1))] = latency;
                      },
                      {.queue_capacity = 65536, .overflow = seer::OverflowPolicy::block}));
  }
  for (auto _ : state) {
    const std::int64_t interval = 1'000'000'000 / rate;
    const std::int64_t start = now_ns();
    for (std::int64_t i = 0; i < events; ++i) {
      const std::int64_t due = start + i * interval;
      while (now_ns() < due) {
      }
      bus.publish("bench/latency", boost::json::value(now_ns()));
    }
    wait_until(delivered, events * subscribers);
  }
  std::sort(latencies.begin(), latencies.end());
  auto percentile = [&](double p) {
    const auto index = static_cast<std::size_t>(p * static_cast<double>(latencies.size() - 1));
    return static_cast<double>(latencies[index]) / 1000.0;
  };
  state.counters["p50_us"] = percentile(0.50);
  state.counters["p90_us"] = percentile(0.90);
  state.counters["p99_us"] = percentile(0.99);
  state.counters["p999_us"] = percentile(0.999);
  state.counters["max_us"] = static_cast<double>(latencies.back()) / 1000.0;
}
BENCHMARK(BM_BusLatencyAtRate)
    ->Args({1, 100'000})
    ->Args({4, 100'000})
    ->Args({16, 100'000})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
