#pragma once
// The ollama plugin: a chat model on an Ollama-compatible server, provided as
// seer::ChatModel. Starting never waits for the server; a background thread asks it once what
// the model can do. See README.md.

#include "ollama_chat_model.hpp"
#include "ollama_settings.hpp"

#include <seer/plugin.hpp>

#include <memory>
#include <thread>

namespace seer::ollama {

inline constexpr char kPluginVersion[] = "1.0.0";

class OllamaPlugin final : public Plugin {
 public:
  OllamaPlugin() = default;
  ~OllamaPlugin() override;
  OllamaPlugin(const OllamaPlugin&) = delete;
  OllamaPlugin& operator=(const OllamaPlugin&) = delete;

  ConfigSchema config_schema() const override { return ollama_config_schema(); }
  std::vector<ServiceInfo> provided_services() const override;
  void configure(const ConfigNode& config) override;
  void start(PluginContext& context) override;
  void stop() override;

 private:
  OllamaSettings settings_;
  std::shared_ptr<OllamaChatModel> model_;
  std::jthread capabilities_;
};

}  // namespace seer::ollama
