#pragma once
// What the http plugin counts for /metrics: requests by route, method and status with a
// duration histogram per route, and the tokens and time of every generation per model.

#include "prometheus_text.hpp"

#include <seer/services/generation.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace seer::http {

class HttpMetrics {
 public:
  // `route` is the router's (empty for an unknown path, counted as "unmatched").
  void record_request(std::string_view route, std::string_view method, unsigned status,
                      double seconds);
  void record_generation(std::string_view model, const GenerationResult& result);
  void write(PrometheusText& out) const;

  // Upper bounds of the request duration histogram, in seconds (+Inf follows).
  static constexpr std::array<double, 14> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                   1,     2.5,  5,     10,   30,  60,   120};

 private:
  struct Durations {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Generations {
    std::uint64_t count = 0;
    std::uint64_t prompt_tokens = 0;
    std::uint64_t generated_tokens = 0;
    double prompt_seconds = 0;
    double eval_seconds = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::string, Durations, std::less<>> durations_;      // by route
  std::map<std::string, Generations, std::less<>> generations_;  // by model
};

}  // namespace seer::http
