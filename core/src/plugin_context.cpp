#include <seer/plugin.hpp>

namespace seer {

PluginContext::PluginContext(std::string instance_name, Bus& bus, ServiceRegistry& registry,
                             Executor& executor, std::shared_ptr<spdlog::logger> logger,
                             HealthReporter& health, std::shared_ptr<const void> keepalive)
    : instance_name_(std::move(instance_name)),
      bus_(bus),
      registry_(registry),
      executor_(executor),
      logger_(std::move(logger)),
      health_(health),
      keepalive_(std::move(keepalive)) {}

Subscription PluginContext::subscribe(std::string_view filter, EventHandler handler,
                                      SubscribeOptions options) {
  if (options.subscriber_name.empty()) options.subscriber_name = instance_name_;
  if (!options.keepalive) options.keepalive = keepalive_;
  return bus_.subscribe(filter, std::move(handler), std::move(options));
}

void PluginContext::publish(std::string_view topic, boost::json::value payload, TraceId trace_id) {
  bus_.publish(topic, std::move(payload), instance_name_, trace_id);
}

}  // namespace seer
