#include "doorbell_plugin.hpp"

#include "webhook_listener.hpp"

#include <seer/executor.hpp>

#include <boost/json/object.hpp>

#include <chrono>

namespace doorbell {

seer::ConfigSchema DoorbellPlugin::config_schema() const {
  seer::ConfigSchema schema;
  schema.optional("host", seer::ConfigType::string, "address the webhook listens on", "127.0.0.1");
  schema.add({.key = "port",
              .type = seer::ConfigType::integer,
              .description = "TCP port of the webhook; 0 picks a free one (logged)",
              .default_text = "8099",
              .minimum = 0,
              .maximum = 65535});
  schema.optional("path", seer::ConfigType::string, "the webhook's path", "/ring");
  schema.optional("topic", seer::ConfigType::string, "the bus topic of each ring", "doorbell");
  return schema;
}

void DoorbellPlugin::configure(const seer::ConfigNode& config) {
  settings_.host = config["host"].string_or(settings_.host);
  settings_.port = static_cast<std::uint16_t>(config["port"].int_or(settings_.port));
  settings_.path = config["path"].string_or(settings_.path);
  if (!settings_.path.starts_with('/')) throw config["path"].error("the path must start with /");
  settings_.topic = config["topic"].string_or(settings_.topic);
}

void DoorbellPlugin::start(seer::PluginContext& context) {
  // Runs on the executor's threads; the context outlives the listener (stopped in stop()).
  auto on_ring = [&context, topic = settings_.topic](boost::json::value body) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    // `payload`: the key the mqtt plugin sends when the topic is mqtt/out/<topic>.
    boost::json::object payload{
        {"payload", std::move(body)},
        {"time_ms", std::chrono::duration_cast<std::chrono::milliseconds>(now).count()}};
    context.publish(topic, std::move(payload));
    context.log().info("ding dong: published '{}'", topic);
  };
  listener_ = std::make_shared<WebhookListener>(context.executor().context(), settings_.path,
                                                std::move(on_ring));
  const auto endpoint = listener_->listen(settings_.host, settings_.port);
  const std::string address =
      endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  context.log().info("listening on {}, POST {} rings", address, settings_.path);
  context.health().ready("listening on " + address);
}

void DoorbellPlugin::stop() {
  if (listener_) listener_->stop();
  listener_.reset();
}

}  // namespace doorbell
