#include "http_plugin.hpp"

#include "console_routes.hpp"
#include "ollama_api.hpp"
#include "openai_api.hpp"
#include "seer_api.hpp"

#include <seer/executor.hpp>
#include <seer/log.hpp>

#include <boost/beast/http/verb.hpp>

namespace seer::http {

HttpPlugin::~HttpPlugin() { stop(); }

void HttpPlugin::configure(const ConfigNode& config) { settings_ = read_http_settings(config); }

std::shared_ptr<Router> HttpPlugin::make_router(PluginContext& context) {
  auto router = std::make_shared<Router>(settings_.token, CorsPolicy(settings_.cors_origins));
  add_console_routes(*router);
  std::make_shared<OllamaApi>(context.registry(), pool_, metrics_)->add_routes(*router);
  std::make_shared<OpenAiApi>(context.registry(), pool_, metrics_)->add_routes(*router);
  add_seer_routes(*router, {.health = health_,
                            .frames = frames_,
                            .reports = reports_,
                            .metrics = metrics_,
                            .bus = &context.bus()});
  websocket_->add_routes(*router);
  router->add(boost::beast::http::verb::get, "/healthz",
              [health = health_](const std::shared_ptr<HttpExchange>& exchange) {
                if (const auto starting = health->still_starting()) {
                  exchange->respond_json(HttpStatus::service_unavailable,
                                         {{"status", "starting"}, {"reason", *starting}});
                } else {
                  exchange->respond_json(HttpStatus::ok, {{"status", "ok"}});
                }
              });
  return router;
}

void HttpPlugin::start(PluginContext& context) {
  pool_ = std::make_shared<GenerationPool>(settings_.workers,
                                           static_cast<std::size_t>(settings_.max_queue));
  health_ = std::make_shared<HealthBoard>();
  health_events_ = context.subscribe(
      "seer/health/+", [health = health_](const EventPtr& event) { health->record(*event); });
  frames_ = std::make_shared<CameraFrames>();
  // Only the newest frame of each camera matters: a slow encoder skips frames, never queues.
  frame_events_ = context.subscribe(
      "camera/+/frame", [frames = frames_](const EventPtr& event) { frames->record(*event); },
      {.queue_capacity = 4, .overflow = OverflowPolicy::keep_latest});
  reports_ = std::make_shared<VisionReports>();
  report_events_ =
      context.subscribe("agents/+/vision_report",
                        [reports = reports_](const EventPtr& event) { reports->record(*event); });
  metrics_ = std::make_shared<HttpMetrics>();

  websocket_ = std::make_shared<WsHub>(
      std::make_shared<const WsContext>(WsContext{.max_message = settings_.ws_max_message,
                                                  .send_queue = settings_.ws_send_queue,
                                                  .hello_timeout = settings_.request_timeout,
                                                  .token = settings_.token,
                                                  .origins = CorsPolicy(settings_.cors_origins),
                                                  .registry = &context.registry(),
                                                  .pool = pool_,
                                                  .log = logger(context.instance_name()),
                                                  .server = std::string("seer ") + SEER_VERSION,
                                                  .metrics = metrics_}));
  websocket_->start(context);

  auto shared = std::make_shared<ConnectionShared>();
  shared->request_timeout = settings_.request_timeout;
  shared->idle_timeout = settings_.idle_timeout;
  shared->max_body = settings_.max_body;
  shared->router = make_router(context);
  shared->log = logger(context.instance_name());
  shared->metrics = metrics_;
  shared->keepalive = context.keepalive();
  shared->tls = settings_.tls;
  shared->websocket_path = kWebSocketPath;
  shared->websocket = [websocket = websocket_](ServerStream stream, HttpRequest upgrade) {
    websocket->accept(std::move(stream), std::move(upgrade));
  };

  server_ = std::make_shared<HttpServer>(context.executor().context(), shared);
  const auto endpoint = server_->listen(settings_.host, settings_.port);
  const std::string address = endpoint.address().to_string();
  const std::string port = std::to_string(endpoint.port());
  const std::string where = address + ":" + port;
  const std::string url = (settings_.tls ? "https://" : "http://") +
                          (endpoint.address().is_v6() ? "[" + address + "]" : address) + ":" + port;
  context.log().info("listening on {}, serving {} ({} worker{}{}{})", where, url, settings_.workers,
                     settings_.workers == 1 ? "" : "s",
                     settings_.token.empty() ? "" : ", bearer token required",
                     settings_.tls ? ", certificate " + settings_.tls_certificate : "");
  if (!settings_.tls && !is_loopback_host(settings_.host)) {
    context.log().warn(
        "plain HTTP on {}: the bearer token and every chat cross the network "
        "unencrypted (set tls_certificate and tls_private_key)",
        settings_.host);
  }
  context.health().ready("listening on " + where + (settings_.tls ? " (TLS)" : ""));
}

void HttpPlugin::stop() {
  // Closing the connections cancels their generations, so the workers can be joined.
  if (server_) server_->stop();
  if (websocket_) websocket_->stop();
  if (pool_) pool_->stop();
  health_events_.unsubscribe();
  frame_events_.unsubscribe();
  report_events_.unsubscribe();
  server_.reset();
  websocket_.reset();
  pool_.reset();
  health_.reset();
  frames_.reset();
  reports_.reset();
  metrics_.reset();
}

}  // namespace seer::http
