// Configuration loading on arbitrary YAML: the document read into a ConfigNode, every scalar
// read as each type, then the same tree read as the runtime's configuration and as an agent
// file. Bad documents are refused with ConfigError / AgentDefinitionError, nothing else.
// `!include` resolves beside a file in a folder of its own holding one small document;
// inputs that could name a file elsewhere (a '/' with the word include, or a %TAG directive)
// are skipped, so that the fuzzer never reads /dev or /proc.
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <seer/agents/agent_definition.hpp>
#include <seer/config.hpp>
#include <seer/host/runtime_config.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

// A folder with `part.yaml` to include; the fuzzed document is named as if it sat there.
const std::string& document_name() {
  static const std::string name = [] {
    const std::filesystem::path folder =
        std::filesystem::temp_directory_path() / ("seer-config-fuzzer-" + std::to_string(getpid()));
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "part.yaml") << "level: debug\nitems: [1, 2s, on]\n";
    return (folder / "fuzz.yaml").string();
  }();
  return name;
}

bool may_reach_other_files(std::string_view text) {
  return (text.find("include") != std::string_view::npos &&
          text.find('/') != std::string_view::npos) ||
         text.find("%TAG") != std::string_view::npos;
}

template <typename Read>
void read_refusing_only_config_errors(Read read) {
  try {
    read();
  } catch (const seer::ConfigError&) {
    // Located at the node, with a message.
  }
}

void read_every_scalar(const seer::ConfigNode& node, int depth) {
  if (depth > 64) return;
  read_refusing_only_config_errors([&] { static_cast<void>(node.as_string()); });
  read_refusing_only_config_errors([&] { static_cast<void>(node.as_bool()); });
  read_refusing_only_config_errors([&] { static_cast<void>(node.as_int()); });
  read_refusing_only_config_errors([&] { static_cast<void>(node.as_double()); });
  read_refusing_only_config_errors([&] { static_cast<void>(node.as_duration()); });
  read_refusing_only_config_errors([&] { static_cast<void>(node.as_string_list()); });
  static_cast<void>(node.location());
  static_cast<void>(node.key_location());
  if (node.is_map()) {
    for (const auto& [key, child] : node.entries()) read_every_scalar(child, depth + 1);
  }
  if (node.is_sequence()) {
    for (const seer::ConfigNode& item : node.items()) read_every_scalar(item, depth + 1);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (may_reach_other_files(text)) return 0;
  seer::ConfigNode root;
  try {
    root = seer::ConfigNode::load_string(text, document_name());
  } catch (const seer::ConfigError&) {
    return 0;
  }
  read_every_scalar(root, 0);
  read_refusing_only_config_errors([&] {
    std::vector<seer::ConfigDiagnostic> diagnostics;
    static_cast<void>(seer::read_runtime_config(root, diagnostics));
    for (const seer::ConfigDiagnostic& diagnostic : diagnostics) {
      static_cast<void>(diagnostic.to_string());
    }
  });
  try {
    static_cast<void>(seer::agents::read_agent_definition(root));
  } catch (const seer::agents::AgentDefinitionError&) {
    // Every problem listed, each located.
  }
  return 0;
}
