#pragma once
// Request/response capabilities registered by name under a typed interface.
//
// An interface is a C++ abstract class with a `static constexpr std::string_view
// interface_id` (e.g. "seer.camera/1"). Lookups match on that id and name, and the stored
// pointer is already of the interface type, so nothing is dynamic_cast across plugin
// boundaries (RTTI of a class in two shared objects need not compare equal).

#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace seer {

struct ServiceEntry {
  std::string interface_id;
  std::string name;
  std::string provider;  // the plugin instance that registered it
  std::shared_ptr<void> object;
};

class ServiceNotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ServiceRegistry {
 public:
  // Throws std::invalid_argument if (interface, name) is taken. `keepalive` is held as long
  // as the entry exists (the plugin library that owns the object's code).
  template <typename Interface>
  void add(std::string name, std::shared_ptr<Interface> service, std::string provider = {},
           std::shared_ptr<const void> keepalive = {}) {
    add_entry(std::string(Interface::interface_id), std::move(name), std::move(provider),
              std::static_pointer_cast<void>(std::move(service)), std::move(keepalive));
  }

  // Nullptr when absent.
  template <typename Interface>
  std::shared_ptr<Interface> find(std::string_view name) const {
    return std::static_pointer_cast<Interface>(find_entry(Interface::interface_id, name));
  }

  // Throws ServiceNotFound naming what is registered under the interface. An empty name
  // means "the only one": an error when several are registered.
  template <typename Interface>
  std::shared_ptr<Interface> get(std::string_view name = {}) const {
    return std::static_pointer_cast<Interface>(get_entry(Interface::interface_id, name));
  }

  template <typename Interface>
  std::vector<std::string> names() const {
    return names_of(Interface::interface_id);
  }

  // Removes every entry that `provider` registered (when its plugin stops).
  void remove_provider(std::string_view provider);
  bool remove(std::string_view interface_id, std::string_view name);

  std::vector<ServiceEntry> entries() const;

 private:
  void add_entry(std::string interface_id, std::string name, std::string provider,
                 std::shared_ptr<void> object, std::shared_ptr<const void> keepalive);
  std::shared_ptr<void> find_entry(std::string_view interface_id, std::string_view name) const;
  std::shared_ptr<void> get_entry(std::string_view interface_id, std::string_view name) const;
  std::vector<std::string> names_of(std::string_view interface_id) const;

  mutable std::mutex mutex_;
  std::vector<ServiceEntry> entries_;
};

}  // namespace seer
