#pragma once
// seer::ChatModel over an Ollama server's /api/chat: each chat() is one streamed POST on a
// connection of its own, so several threads may chat at once.

#include "ollama_settings.hpp"

#include <seer/services/chat_model.hpp>

#include <functional>
#include <mutex>
#include <stop_token>
#include <string>

namespace seer::ollama {

class OllamaChatModel final : public ChatModel {
 public:
  // Hears whether each finished request worked (an empty reason) or why it failed.
  using OutcomeListener = std::function<void(const std::string& failure)>;

  explicit OllamaChatModel(OllamaSettings settings);

  // Until learn_capabilities() has heard from the server: tools and vision assumed.
  ChatModelInfo info() const override;
  GenerationResult chat(const ChatRequest& request, const TokenCallback& on_piece,
                        std::stop_token cancel) override;

  // Asks /api/show what the model can do. Throws OllamaHttpError when the server answers
  // with an error (an unknown model), std::runtime_error when it cannot be reached.
  void learn_capabilities(std::stop_token cancel);
  // Replaces the listener; an empty one detaches it (the plugin stops).
  void set_outcome_listener(OutcomeListener listener);

  const OllamaSettings& settings() const { return settings_; }

 private:
  GenerationResult stream_chat(const ChatRequest& request, const TokenCallback& on_piece,
                               std::stop_token cancel);
  void report(const std::string& failure);

  const OllamaSettings settings_;
  mutable std::mutex mutex_;
  ChatModelInfo info_;
  OutcomeListener listener_;
};

}  // namespace seer::ollama
