// A test plugin built as if against a newer SDK: its descriptor claims ABI version 99.
#include <seer/plugin.hpp>

extern "C" __attribute__((visibility("default"))) const SeerPluginDescriptor* seer_plugin_v1() {
  // Only abi_version may be read by a host that does not know version 99.
  static const SeerPluginDescriptor descriptor{99u,     "future-abi", "9.0.0", "from the future",
                                               nullptr, nullptr};
  return &descriptor;
}
