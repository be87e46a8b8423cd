#pragma once
// The http plugin: one Boost.Beast listener on the runtime's io_context serving Ollama's API
// over every chat model, vision-language model and agent in the registry, /healthz, the web
// console with seer's own API, and /metrics. Generations run on the plugin's own worker pool.
// See README.md.

#include "camera_frames.hpp"
#include "generation_pool.hpp"
#include "health_board.hpp"
#include "http_metrics.hpp"
#include "http_server.hpp"
#include "http_settings.hpp"
#include "vision_reports.hpp"
#include "ws_hub.hpp"

#include <seer/plugin.hpp>

#include <memory>

namespace seer::http {

inline constexpr char kPluginVersion[] = "1.0.0";

class HttpPlugin final : public Plugin {
 public:
  HttpPlugin() = default;
  ~HttpPlugin() override;
  HttpPlugin(const HttpPlugin&) = delete;
  HttpPlugin& operator=(const HttpPlugin&) = delete;

  ConfigSchema config_schema() const override { return http_config_schema(); }
  void configure(const ConfigNode& config) override;
  void start(PluginContext& context) override;
  void stop() override;

 private:
  std::shared_ptr<Router> make_router(PluginContext& context);

  HttpSettings settings_;
  std::shared_ptr<GenerationPool> pool_;
  std::shared_ptr<HealthBoard> health_;
  std::shared_ptr<CameraFrames> frames_;
  std::shared_ptr<VisionReports> reports_;
  std::shared_ptr<HttpMetrics> metrics_;
  Subscription health_events_;
  Subscription frame_events_;
  Subscription report_events_;
  std::shared_ptr<HttpServer> server_;
  std::shared_ptr<WsHub> websocket_;
};

}  // namespace seer::http
