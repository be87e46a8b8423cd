#pragma once
// seer's own read-only API for the web console, from what the bus carries:
//   GET /api/seer/status                      plugins' health and the cameras seen
//   GET /api/seer/frame?camera=NAME           the latest frame of a camera, as JPEG
//   GET /api/seer/agents/<name>/report        an agent's last vision report
// and /metrics in Prometheus' text format.

#include "camera_frames.hpp"
#include "health_board.hpp"
#include "http_metrics.hpp"
#include "router.hpp"
#include "vision_reports.hpp"

#include <seer/bus.hpp>

#include <memory>

namespace seer::http {

struct SeerState {
  std::shared_ptr<HealthBoard> health;
  std::shared_ptr<CameraFrames> frames;
  std::shared_ptr<VisionReports> reports;
  std::shared_ptr<HttpMetrics> metrics;
  const Bus* bus = nullptr;  // the runtime's, which outlives the plugin
};

void add_seer_routes(Router& router, SeerState state);

// Every metric /metrics shows, as Prometheus text.
std::string metrics_text(const SeerState& state);

}  // namespace seer::http
