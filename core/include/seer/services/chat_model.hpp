#pragma once
#include <seer/image.hpp>
#include <seer/services/generation.hpp>

#include <stop_token>
#include <string>
#include <vector>

namespace seer {

struct ChatMessage {
  std::string role;  // "system", "user", "assistant", "tool"
  std::string content;
  std::vector<Image> images;
};

struct ChatRequest {
  std::vector<ChatMessage> messages;
  GenerationOptions options;
};

class ChatModel {
 public:
  static constexpr std::string_view interface_id = "seer.chat_model/1";
  virtual ~ChatModel() = default;
  virtual GenerationResult chat(const ChatRequest& request, const TokenCallback& on_piece,
                                std::stop_token cancel) = 0;
};

}  // namespace seer
