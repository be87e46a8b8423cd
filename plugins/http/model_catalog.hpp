#pragma once
// The models an Ollama client sees: every chat model and vision-language model in the
// registry, and every agent, looked up afresh on each request (plugins come and go).

#include <seer/service_registry.hpp>
#include <seer/services/agent.hpp>
#include <seer/services/chat_model.hpp>
#include <seer/services/model_residency.hpp>
#include <seer/services/vision_language_model.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seer::http {

struct CatalogModel {
  std::string name;                 // what clients call it: info().model, else the registry name
  std::string service_name;         // the registry name (or the agent's name)
  std::shared_ptr<ChatModel> chat;  // null for a VLM without a chat model
  std::shared_ptr<VisionLanguageModel> vision;  // the VLM under the same registry name
  std::shared_ptr<Agent> agent;                 // set for agents only
  // Set for backends that free and reload their weights (Ollama's keep_alive, /api/ps).
  std::shared_ptr<ModelResidency> residency;
  ChatModelInfo info;

  bool is_agent() const { return agent != nullptr; }
  // Ollama's capability names: completion, vision, tools, thinking.
  std::vector<std::string> capabilities() const;
  // "bagel", "ollama", "agent": the family shown in details.
  std::string family() const;
};

class ModelCatalog {
 public:
  explicit ModelCatalog(const ServiceRegistry& registry) : registry_(registry) {}

  std::vector<CatalogModel> list() const;
  // By info().model, registry name or agent name; a ":latest" suffix is ignored.
  std::optional<CatalogModel> find(std::string_view client_name) const;

 private:
  const ServiceRegistry& registry_;
};

}  // namespace seer::http
