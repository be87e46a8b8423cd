#include "seer_api.hpp"

#include "ollama_reply.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/array.hpp>

namespace seer::http {

namespace json = boost::json;
namespace beast_http = boost::beast::http;

namespace {

constexpr std::string_view kAgentsPrefix = "/api/seer/agents/";
constexpr std::string_view kReportSuffix = "/report";

// The raw value of `name` in the target's query ("" when absent). Camera names are plain
// words, so no percent-decoding is needed to match them.
std::string query_value(std::string_view target, std::string_view name) {
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return {};
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const std::size_t end = query.find('&');
    const std::string_view pair = query.substr(0, end);
    const std::size_t equals = pair.find('=');
    if (pair.substr(0, equals) == name) {
      return equals == std::string_view::npos ? std::string()
                                              : std::string(pair.substr(equals + 1));
    }
    query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
  }
  return {};
}

json::object status_json(const SeerState& state) {
  json::array plugins;
  for (const PluginHealth& plugin : state.health->plugins()) {
    plugins.push_back(json::object{{"instance", plugin.instance},
                                   {"state", plugin.state},
                                   {"reason", plugin.reason},
                                   {"since", rfc3339(plugin.since)}});
  }
  json::array cameras;
  for (const CameraStats& camera : state.frames->stats()) {
    cameras.push_back(json::object{{"name", camera.camera},
                                   {"frames", camera.frames},
                                   {"fps", camera.fps},
                                   {"width", camera.width},
                                   {"height", camera.height},
                                   {"last_frame_at", rfc3339(camera.last_frame_at)}});
  }
  json::array agents;
  for (const std::string& agent : state.reports->agents()) agents.emplace_back(agent);
  return {{"plugins", std::move(plugins)},
          {"cameras", std::move(cameras)},
          {"agents_with_reports", std::move(agents)}};
}

void frame(const SeerState& state, const std::shared_ptr<HttpExchange>& exchange) {
  const std::string camera = query_value(exchange->request().target(), "camera");
  const auto latest = state.frames->latest(camera);
  if (!latest) {
    exchange->respond_error(
        HttpStatus::not_found,
        camera.empty() ? "no camera frame yet" : "no frame from camera '" + camera + "' yet");
    return;
  }
  exchange->add_header("Cache-Control", "no-store");
  exchange->add_header("X-Seer-Frame-Sequence", std::to_string(latest->sequence));
  exchange->add_header("X-Seer-Frame-Captured-At", rfc3339(latest->captured_at));
  exchange->respond(HttpStatus::ok, "image/jpeg", latest->jpeg);
}

void report(const SeerState& state, const std::shared_ptr<HttpExchange>& exchange) {
  std::string_view path = exchange->request().target();
  path = path.substr(0, path.find('?'));
  path.remove_prefix(kAgentsPrefix.size());
  if (!path.ends_with(kReportSuffix) || path.size() == kReportSuffix.size()) {
    exchange->respond_error(HttpStatus::not_found, "404 page not found");
    return;
  }
  const std::string agent(path.substr(0, path.size() - kReportSuffix.size()));
  const auto latest = state.reports->latest(agent);
  if (!latest) {
    exchange->respond_error(HttpStatus::not_found,
                            "no vision report from agent '" + agent + "' yet");
    return;
  }
  exchange->respond_json(HttpStatus::ok, *latest);
}

void write_bus(const Bus& bus, PrometheusText& out) {
  const auto counters = bus.all_counters();
  const auto per_topic = [&](std::string_view name, std::string_view help, auto value) {
    out.family(name, "counter", help);
    for (const auto& [topic, counter] : counters) {
      out.sample(name, {{"topic", topic}}, static_cast<double>(value(counter)));
    }
  };
  per_topic("seer_bus_published_total", "Events published, by topic.",
            [](const TopicCounters& c) { return c.published; });
  per_topic("seer_bus_delivered_total", "Handler calls that finished, by topic.",
            [](const TopicCounters& c) { return c.delivered; });
  per_topic("seer_bus_dropped_total", "Queued events dropped by an overflow policy, by topic.",
            [](const TopicCounters& c) { return c.dropped; });
  out.family("seer_bus_subscribers", "gauge", "Subscriptions on the bus.");
  out.sample("seer_bus_subscribers", {}, static_cast<double>(bus.subscriber_count()));
}

void write_cameras(const CameraFrames& frames, PrometheusText& out) {
  const auto stats = frames.stats();
  out.family(
      "seer_camera_frames_total", "counter",
      "Frame events on camera/<name>/frame the http plugin handled (it skips frames while busy).");
  for (const CameraStats& camera : stats) {
    out.sample("seer_camera_frames_total", {{"camera", camera.camera}},
               static_cast<double>(camera.frames));
  }
  out.family(
      "seer_camera_fps", "gauge",
      "The camera's frames per second over the last second or so, from its sequence numbers.");
  for (const CameraStats& camera : stats) {
    out.sample("seer_camera_fps", {{"camera", camera.camera}}, camera.fps);
  }
}

}  // namespace

std::string metrics_text(const SeerState& state) {
  PrometheusText out;
  state.metrics->write(out);
  if (state.bus != nullptr) write_bus(*state.bus, out);
  write_cameras(*state.frames, out);
  state.health->write(out);
  state.reports->write(out);
  return out.text();
}

void add_seer_routes(Router& router, SeerState state) {
  const auto shared = std::make_shared<const SeerState>(std::move(state));
  router.add(beast_http::verb::get, "/api/seer/status",
             [shared](const std::shared_ptr<HttpExchange>& exchange) {
               exchange->respond_json(HttpStatus::ok, status_json(*shared));
             });
  router.add(beast_http::verb::get, "/api/seer/frame",
             [shared](const std::shared_ptr<HttpExchange>& exchange) { frame(*shared, exchange); });
  router.add_prefix(
      beast_http::verb::get, std::string(kAgentsPrefix),
      [shared](const std::shared_ptr<HttpExchange>& exchange) { report(*shared, exchange); });
  router.add(beast_http::verb::get, "/metrics",
             [shared](const std::shared_ptr<HttpExchange>& exchange) {
               exchange->respond(HttpStatus::ok, kPrometheusContentType, metrics_text(*shared));
             });
}

}  // namespace seer::http
