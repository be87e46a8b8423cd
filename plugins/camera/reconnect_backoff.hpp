#pragma once
// Delays between attempts to reopen a lost source: doubling from `initial` up to `max`, each
// spread by a random jitter so that many cameras do not retry in lockstep.

#include "camera_settings.hpp"

#include <cstdint>
#include <random>

namespace seer::camera {

class ReconnectBackoff {
 public:
  explicit ReconnectBackoff(ReconnectSettings settings,
                            std::uint64_t seed = std::random_device{}());

  // The delay before the next attempt; each call doubles the base delay up to `max`.
  Duration next();
  // After a success: the next delay starts from `initial` again.
  void reset();

 private:
  ReconnectSettings settings_;
  Duration base_;
  std::mt19937_64 random_;
};

}  // namespace seer::camera
