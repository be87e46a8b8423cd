#include "reconnect_backoff.hpp"

#include <algorithm>

namespace seer::camera {

ReconnectBackoff::ReconnectBackoff(ReconnectSettings settings, std::uint64_t seed)
    : settings_(settings), base_(settings.initial), random_(seed) {}

Duration ReconnectBackoff::next() {
  std::uniform_real_distribution<double> spread(1 - settings_.jitter, 1 + settings_.jitter);
  const auto jittered =
      Duration(static_cast<Duration::rep>(static_cast<double>(base_.count()) * spread(random_)));
  base_ = std::min(base_ * 2, settings_.max);
  return std::clamp(jittered, Duration(1), settings_.max);
}

void ReconnectBackoff::reset() { base_ = settings_.initial; }

}  // namespace seer::camera
