#pragma once
// /ws: takes over the connections whose request asks for a WebSocket there, keeps the live
// sessions, and hands each of them the agents' bus events (agents/<agent>/<event>) it
// subscribed to. The events are subscribed once for all sessions and each is serialized once.

#include "router.hpp"
#include "server_stream.hpp"
#include "ws_session.hpp"

#include <seer/bus.hpp>
#include <seer/plugin.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace seer::http {

inline constexpr char kWebSocketPath[] = "/ws";

class WsHub : public std::enable_shared_from_this<WsHub> {
 public:
  explicit WsHub(std::shared_ptr<const WsContext> context) : context_(std::move(context)) {}

  // Subscribes to the agents' events.
  void start(PluginContext& plugin);
  // A plain GET /ws (no upgrade) answers 426.
  void add_routes(Router& router);
  // From the connection's strand: the upgrade request to /ws, already read from `stream`.
  void accept(ServerStream stream, HttpRequest upgrade);
  // Closes every session (1001, going away) and waits up to a second for their closing
  // handshakes; later upgrades are refused.
  void stop();

 private:
  void on_event(const EventPtr& event);
  std::vector<std::shared_ptr<WsSession>> live_sessions();

  std::shared_ptr<const WsContext> context_;
  Subscription events_;
  std::mutex mutex_;
  std::vector<std::weak_ptr<WsSession>> sessions_;
  bool stopped_ = false;
};

}  // namespace seer::http
