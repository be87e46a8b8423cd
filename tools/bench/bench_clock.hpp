#pragma once

// Timing device work from the host: synchronise before reading the clock, warm up, take medians.

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

#include "seer/models/cuda_runtime.hpp"

namespace seer::bench {

// Seconds `work` takes, every kernel it queued finished.
inline double seconds_of(const std::function<void()>& work) {
  models::cuda::synchronize();
  const auto start = std::chrono::steady_clock::now();
  work();
  models::cuda::synchronize();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The median of `runs` timings of `work` after `warmups` untimed ones; `prepare` runs untimed
// before each.
inline double median_seconds(int warmups, int runs, const std::function<void()>& prepare,
                             const std::function<void()>& work) {
  for (int i = 0; i < warmups; ++i) {
    prepare();
    work();
  }
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    prepare();
    times.push_back(seconds_of(work));
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace seer::bench
