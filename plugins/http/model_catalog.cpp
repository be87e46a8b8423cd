#include "model_catalog.hpp"

#include <algorithm>

namespace seer::http {

std::vector<std::string> CatalogModel::capabilities() const {
  if (is_agent()) return {"completion", "vision", "tools"};
  std::vector<std::string> names{"completion"};
  if (info.vision || vision) names.emplace_back("vision");
  if (info.tools) names.emplace_back("tools");
  if (info.thinking) names.emplace_back("thinking");
  return names;
}

std::string CatalogModel::family() const {
  if (is_agent()) return "agent";
  return service_name;
}

std::vector<CatalogModel> ModelCatalog::list() const {
  std::vector<CatalogModel> models;
  const std::vector<std::string> chat_names = registry_.names<ChatModel>();
  for (const std::string& service : chat_names) {
    auto chat = registry_.find<ChatModel>(service);
    if (!chat) continue;  // removed since names() was read
    CatalogModel model{.service_name = service,
                       .chat = chat,
                       .vision = registry_.find<VisionLanguageModel>(service),
                       .residency = registry_.find<ModelResidency>(service),
                       .info = chat->info()};
    model.name = model.info.model.empty() ? service : model.info.model;
    models.push_back(std::move(model));
  }
  for (const std::string& service : registry_.names<VisionLanguageModel>()) {
    if (std::ranges::find(chat_names, service) != chat_names.end()) continue;
    auto vision = registry_.find<VisionLanguageModel>(service);
    if (!vision) continue;
    models.push_back({.name = service,
                      .service_name = service,
                      .vision = vision,
                      .residency = registry_.find<ModelResidency>(service),
                      .info = {.model = service, .vision = true}});
  }
  for (const std::string& name : registry_.names<Agent>()) {
    auto agent = registry_.find<Agent>(name);
    if (!agent) continue;
    models.push_back({.name = name,
                      .service_name = name,
                      .agent = agent,
                      .info = {.model = name, .vision = true, .tools = true}});
  }
  return models;
}

std::optional<CatalogModel> ModelCatalog::find(std::string_view client_name) const {
  if (client_name.ends_with(":latest")) client_name.remove_suffix(7);
  std::vector<CatalogModel> models = list();
  // A client's name for the model wins over a registry name that happens to be equal.
  for (auto& model : models) {
    if (model.name == client_name) return std::move(model);
  }
  for (auto& model : models) {
    if (model.service_name == client_name) return std::move(model);
  }
  return std::nullopt;
}

}  // namespace seer::http
