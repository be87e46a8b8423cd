#include "bagel_plugin.hpp"

#include <chrono>
#include <exception>
#include <string>

namespace seer::bagel {

std::vector<ServiceInfo> BagelPlugin::provided_services() const {
  return {
      {std::string(VisionLanguageModel::interface_id), "BAGEL: images + prompt → text"},
      {std::string(ChatModel::interface_id), "BAGEL's Qwen2.5 backbone as a chat model"},
      {std::string(ModelResidency::interface_id), "frees and reloads the weights (keep_alive)"}};
}

void BagelPlugin::configure(const ConfigNode& config) { settings_ = read_bagel_settings(config); }

void BagelPlugin::start(PluginContext& context) {
  model_ = std::make_shared<BagelModel>(settings_);
  stopping_ = std::make_shared<std::atomic<bool>>(false);
  context.provide<VisionLanguageModel>(context.instance_name(), model_);
  context.provide<ChatModel>(context.instance_name(), model_);
  context.provide<ModelResidency>(context.instance_name(), model_);
  context.health().set(HealthState::starting, "loading " + settings_.model.string());
  model_->set_warning_listener(
      [&context](const std::string& message) { context.log().warn("{}", message); });

  // The thread touches the context's health reporter and logger, which outlive stop(): stop()
  // joins it, and aborting a load takes at most one tensor.
  loader_ = std::thread([this, &context, model = model_, stopping = stopping_,
                         keepalive = context.keepalive()] {
    const auto start = std::chrono::steady_clock::now();
    try {
      const std::string device = model->load([&stopping] { return stopping->load(); });
      const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
      context.log().info("loaded {} on {} in {:.1f} s", settings_.model.string(), device,
                         seconds.count());
      context.health().ready("loaded " + settings_.model.string() + " on " + device);
      // Later loads and frees (keep_alive) change only the reason: the plugin stays ready.
      model->set_residency_listener([&context, where = settings_.model.string()](Residency state) {
        if (state == Residency::loaded) context.health().ready("loaded " + where);
        if (state == Residency::unloaded)
          context.health().ready("unloaded " + where + "; the next request loads it");
        if (state == Residency::loading) context.health().ready("loading " + where + " again");
      });
    } catch (const std::exception& error) {
      if (stopping->load()) return;
      context.log().error("cannot load {}: {}", settings_.model.string(), error.what());
      context.health().failed(error.what());
    }
  });
}

void BagelPlugin::stop() {
  if (stopping_) stopping_->store(true);
  if (model_) model_->shut_down();
  if (loader_.joinable()) loader_.join();
  // The listener holds the context, which is about to go; the loader may have just set it.
  if (model_) model_->set_residency_listener({});
  if (model_) model_->set_warning_listener({});
  model_.reset();
}

}  // namespace seer::bagel
