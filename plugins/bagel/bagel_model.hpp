#pragma once
// BAGEL as seer's vision-language model and chat model. The checkpoint loads in the
// background; requests that arrive meanwhile wait for it. One request runs at a time (the
// engine takes every core on a CPU; batching concurrent requests is the GPU path's job).

#include <seer/services/chat_model.hpp>
#include <seer/services/vision_language_model.hpp>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>

#include "bagel_settings.hpp"

namespace seer::models {
class Conversation;
}

namespace seer::bagel {

class BagelModel final : public VisionLanguageModel, public ChatModel {
 public:
  explicit BagelModel(BagelSettings settings);
  ~BagelModel() override;

  // Loads tokenizer and checkpoint; `should_stop` is asked after every tensor and aborts the
  // load when it answers true. Throws what loading threw; waiting requests then fail with it.
  // Returns the device it loaded onto (`auto` resolved), e.g. "cuda:0".
  std::string load(const std::function<bool()>& should_stop);
  // From now on requests fail at once with "the model is shut down".
  void shut_down();

  GenerationResult generate(const VisionRequest& request, const TokenCallback& on_piece,
                            std::stop_token cancel) override;
  ChatModelInfo info() const override;
  GenerationResult chat(const ChatRequest& request, const TokenCallback& on_piece,
                        std::stop_token cancel) override;

 private:
  struct Loaded;
  using ConversationFiller = std::function<void(models::Conversation&)>;
  const Loaded& wait_until_loaded(std::stop_token cancel);
  GenerationResult run(const ConversationFiller& fill, const GenerationOptions& options,
                       const TokenCallback& on_piece, std::stop_token cancel);

  BagelSettings settings_;
  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::unique_ptr<const Loaded> loaded_;
  std::string failure_;  // why the model cannot serve, once it cannot
  std::mutex generation_mutex_;
};

}  // namespace seer::bagel
