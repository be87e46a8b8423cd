#pragma once
// Whether a model's weights are in memory, for backends that can free them and load them
// again (Ollama's keep_alive, load-only and unload requests, /api/ps). A plugin provides it
// under the same registry name as the model's other services.

#include <seer/config.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>

namespace seer {

struct ModelResidencyStatus {
  enum class State { loading, loaded, unloaded, failed };
  State state = State::unloaded;
  std::string reason;            // why it failed, or where it is loaded ("cuda:0")
  std::uint64_t size_bytes = 0;  // the weights, when loaded
  std::uint64_t vram_bytes = 0;  // of those, on a GPU
  std::uint64_t parameters = 0;
  int context_length = 0;
  std::string quantization;  // "F32", "BF16", "F16"
  // When the weights will be freed if no request comes; nullopt: never.
  std::optional<std::chrono::system_clock::time_point> expires_at;
};

class ModelResidency {
 public:
  static constexpr std::string_view interface_id = "seer.model_residency/1";
  virtual ~ModelResidency() = default;

  virtual ModelResidencyStatus status() const = 0;
  // Loads the weights when they are not in memory and waits for them. Throws
  // std::runtime_error naming the problem, or when `cancel` stops the wait.
  virtual void load(std::stop_token cancel) = 0;
  // How long to keep the weights after the last request, from now: negative for ever, zero
  // frees them now (after the requests in progress), positive frees them after that much idle.
  virtual void keep_alive(Duration duration) = 0;
};

}  // namespace seer
