#pragma once
// Settings and requests the ollama tests share.

#include "ollama_settings.hpp"
#include "scripted_ollama_server.hpp"

#include <seer/services/chat_model.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace seer::ollama::test {

// Timeouts are upper bounds that a passing test never reaches.
inline OllamaSettings settings_for(const std::string& url) {
  OllamaSettings settings;
  settings.server = parse_server_url(url);
  settings.model = "llama3.1:8b";
  settings.connect_timeout = std::chrono::seconds(2);
  settings.load_timeout = std::chrono::seconds(4);
  settings.read_timeout = std::chrono::seconds(4);
  return settings;
}

inline ChatRequest hello_request() {
  ChatRequest request;
  request.messages.push_back({.role = "user", .content = "Hello?"});
  return request;
}

// Collects the streamed pieces.
struct PieceCollector {
  std::vector<std::string> pieces;
  TokenCallback callback() {
    return [this](std::string_view piece) {
      pieces.emplace_back(piece);
      return true;
    };
  }
};

}  // namespace seer::ollama::test
