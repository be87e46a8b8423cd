#pragma once
// Reading the documents of a YAML text without YAML::LoadAll: yaml-cpp 0.7 (Debian 12) loops
// there forever, allocating, when a document starts with a token its parser cannot place
// (a stray ',' at the start of a line: jbeder/yaml-cpp#1040, fixed upstream by #1319).

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

namespace seer::config {

struct YamlDocuments {
  YAML::Node first;       // null when the text holds no document
  std::size_t count = 0;  // how many documents the text holds
  YAML::Mark second;      // where the second one starts, when there is one
};

// Throws YAML::Exception (a ParserException at the token for the case above).
YamlDocuments read_yaml_documents(const std::string& text);

}  // namespace seer::config
