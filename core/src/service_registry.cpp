#include <seer/service_registry.hpp>

#include <algorithm>

namespace seer {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "'" : ", '") + name + "'";
  return text.empty() ? "none" : text;
}

}  // namespace

void ServiceRegistry::add_entry(std::string interface_id, std::string name, std::string provider,
                                std::shared_ptr<void> object,
                                std::shared_ptr<const void> keepalive) {
  if (!object) {
    throw std::invalid_argument("service '" + name + "' (" + interface_id + ") is null");
  }
  if (keepalive) {
    // The entry's pointer also owns the keepalive, released after the object itself.
    auto holder = std::make_shared<std::pair<std::shared_ptr<const void>, std::shared_ptr<void>>>(
        std::move(keepalive), object);
    object = std::shared_ptr<void>(holder, holder->second.get());
  }
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) {
    if (entry.interface_id == interface_id && entry.name == name) {
      throw std::invalid_argument("a " + interface_id + " service named '" + name +
                                  "' is already registered by '" + entry.provider + "'");
    }
  }
  entries_.push_back(
      {std::move(interface_id), std::move(name), std::move(provider), std::move(object)});
}

std::shared_ptr<void> ServiceRegistry::find_entry(std::string_view interface_id,
                                                  std::string_view name) const {
  std::lock_guard lock(mutex_);
  for (const auto& entry : entries_) {
    if (entry.interface_id == interface_id && entry.name == name) return entry.object;
  }
  return nullptr;
}

std::shared_ptr<void> ServiceRegistry::get_entry(std::string_view interface_id,
                                                 std::string_view name) const {
  std::lock_guard lock(mutex_);
  std::vector<const ServiceEntry*> candidates;
  for (const auto& entry : entries_) {
    if (entry.interface_id != interface_id) continue;
    if (entry.name == name) return entry.object;
    candidates.push_back(&entry);
  }
  if (name.empty() && candidates.size() == 1) return candidates.front()->object;
  std::vector<std::string> names;
  for (const auto* entry : candidates) names.push_back(entry->name);
  const std::string wanted =
      name.empty() ? "a " + std::string(interface_id) + " service"
                   : "the " + std::string(interface_id) + " service '" + std::string(name) + "'";
  const std::string reason = name.empty() && names.size() > 1 ? "several are registered, name one"
                                                              : "it is not registered";
  throw ServiceNotFound("cannot find " + wanted + ": " + reason + " (registered: " + join(names) +
                        ")");
}

std::vector<std::string> ServiceRegistry::names_of(std::string_view interface_id) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const auto& entry : entries_) {
    if (entry.interface_id == interface_id) names.push_back(entry.name);
  }
  return names;
}

void ServiceRegistry::remove_provider(std::string_view provider) {
  std::vector<ServiceEntry> removed;  // released outside the lock: destructors may call back
  {
    std::lock_guard lock(mutex_);
    auto split =
        std::stable_partition(entries_.begin(), entries_.end(),
                              [&](const ServiceEntry& e) { return e.provider != provider; });
    std::move(split, entries_.end(), std::back_inserter(removed));
    entries_.erase(split, entries_.end());
  }
}

bool ServiceRegistry::remove(std::string_view interface_id, std::string_view name) {
  std::shared_ptr<void> removed;
  std::lock_guard lock(mutex_);
  auto found = std::find_if(entries_.begin(), entries_.end(), [&](const ServiceEntry& e) {
    return e.interface_id == interface_id && e.name == name;
  });
  if (found == entries_.end()) return false;
  removed = std::move(found->object);
  entries_.erase(found);
  return true;
}

std::vector<ServiceEntry> ServiceRegistry::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

}  // namespace seer
