#pragma once
// BAGEL as seer's vision-language model and chat model. The checkpoint loads in the
// background; requests that arrive meanwhile wait for it. The weights leave memory when a
// keep_alive runs out and come back with the next request (ModelResidency). On the eager decoder
// one request runs at a time (the engine takes every core on a CPU); on the static decoder up to
// `batch` requests decode together and the rest wait for a slot.

#include <seer/services/chat_model.hpp>
#include <seer/services/model_residency.hpp>
#include <seer/services/vision_language_model.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "bagel_settings.hpp"
#include "resident_weights.hpp"

namespace seer::models {
class Conversation;
}

namespace seer::bagel {

class BagelModel final : public VisionLanguageModel, public ChatModel, public ModelResidency {
 public:
  explicit BagelModel(BagelSettings settings);
  ~BagelModel() override;

  // Loads tokenizer and checkpoint; `should_stop` is asked after every tensor and aborts the
  // load when it answers true. Throws what loading threw; waiting requests then fail with it.
  // Returns the device it loaded onto (`auto` resolved), e.g. "cuda:0".
  std::string load(const std::function<bool()>& should_stop);
  // From now on requests fail at once with "the model is shut down".
  void shut_down();
  // Told when the weights start loading, are loaded or are freed (for the plugin's health).
  void set_residency_listener(std::function<void(Residency)> listener);
  // Told of problems a load survives (a quantized_cache that cannot be written).
  void set_warning_listener(std::function<void(const std::string&)> listener);

  GenerationResult generate(const VisionRequest& request, const TokenCallback& on_piece,
                            std::stop_token cancel) override;
  ChatModelInfo info() const override;
  GenerationResult chat(const ChatRequest& request, const TokenCallback& on_piece,
                        std::stop_token cancel) override;

  ModelResidencyStatus status() const override;
  void load(std::stop_token cancel) override;
  void keep_alive(Duration duration) override;

 private:
  struct Loaded;
  using ConversationFiller = std::function<void(models::Conversation&)>;
  std::shared_ptr<const Loaded> load_weights(const std::function<bool()>& should_stop);
  GenerationResult run(const ConversationFiller& fill, const GenerationOptions& options,
                       std::optional<Duration> keep_alive, const TokenCallback& on_piece,
                       std::stop_token cancel);

  void warn(const std::string& message);

  BagelSettings settings_;
  std::mutex generation_mutex_;  // the eager decoder's one request at a time
  std::mutex warning_mutex_;
  std::function<void(const std::string&)> warning_listener_;
  // Where the last load put the weights and how big they are, for status().
  struct Footprint {
    std::string device;  // "cpu", "cuda:0"
    bool on_gpu = false;
    std::uint64_t parameters = 0;
    std::uint64_t bytes = 0;
    std::string quantization;  // "F32", "BF16", "F16", "INT8", "INT4", "NF4"
  };
  mutable std::mutex footprint_mutex_;
  Footprint footprint_;
  ResidentWeights<Loaded> weights_;  // last: its expiry thread stops first
};

}  // namespace seer::bagel
