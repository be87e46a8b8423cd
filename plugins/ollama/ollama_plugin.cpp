#include "ollama_plugin.hpp"

#include "ollama_exchange.hpp"

#include <exception>

namespace seer::ollama {

OllamaPlugin::~OllamaPlugin() {
  try {
    stop();
  } catch (...) {
    // Destructors must not throw; stop() only fails when joining the thread fails.
  }
}

std::vector<ServiceInfo> OllamaPlugin::provided_services() const {
  return {{std::string(ChatModel::interface_id), "a chat model on an Ollama server"}};
}

void OllamaPlugin::configure(const ConfigNode& config) { settings_ = read_ollama_settings(config); }

void OllamaPlugin::start(PluginContext& context) {
  if (settings_.service_name.empty()) settings_.service_name = context.instance_name();
  model_ = std::make_shared<OllamaChatModel>(settings_);
  const std::string serving = "serving " + settings_.model + " from " + settings_.server.url;
  model_->set_outcome_listener([&context, serving](const std::string& failure) {
    if (failure.empty()) {
      context.health().ready(serving);
    } else {
      context.health().degraded(failure);
    }
  });
  context.provide<ChatModel>(settings_.service_name, model_);
  context.health().ready(serving);

  // The context outlives this thread: stop() requests its stop and joins it.
  capabilities_ = std::jthread([&context, model = model_](std::stop_token cancel) {
    try {
      model->learn_capabilities(cancel);
      const ChatModelInfo info = model->info();
      context.log().info("model {}: vision {}, tools {}, thinking {}", info.model, info.vision,
                         info.tools, info.thinking);
    } catch (const OllamaHttpError& error) {
      context.log().warn("{}", error.what());
      context.health().degraded(error.what());
    } catch (const std::exception& error) {
      if (cancel.stop_requested()) return;
      context.log().info("{}; assuming the model takes tools and images", error.what());
    }
  });
}

void OllamaPlugin::stop() {
  if (capabilities_.joinable()) {
    capabilities_.request_stop();
    capabilities_.join();
  }
  if (model_) model_->set_outcome_listener({});
  model_.reset();
}

}  // namespace seer::ollama
