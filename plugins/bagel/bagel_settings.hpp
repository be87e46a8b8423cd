#pragma once
// The bagel plugin's configuration: where the checkpoint is and how to run it.

#include <seer/config.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace seer::bagel {

struct BagelSettings {
  std::filesystem::path model;                     // the checkpoint directory
  std::string model_name = "bagel-7b-mot";         // what clients call it
  std::optional<std::filesystem::path> tokenizer;  // else the model directory's
  std::string device = "cpu";                      // cpu, cuda, cuda:N
  std::string dtype;                               // empty: float32 on the CPU, bfloat16 on a GPU
  std::int64_t context_length = 8192;
  std::string preprocessing = "chat";  // chat | inferencer
  std::optional<int> threads;          // torch intra-op threads (process-wide)
  std::string decoder = "auto";        // auto | eager | static
  std::string quant = "none";          // none | int8 | int4 | nf4 (the static decoder)
  std::optional<std::filesystem::path> quantized_cache;  // where quantised weights are kept
  std::int64_t batch = 0;  // static decoder slots; 0: 4 on a GPU, 1 on the CPU
  // How long the weights stay after a request that names no keep_alive; nullopt: for ever.
  std::optional<Duration> keep_alive;
};

ConfigSchema bagel_config_schema();
// Throws ConfigError (naming the key) for values out of range.
BagelSettings read_bagel_settings(const ConfigNode& config);

}  // namespace seer::bagel
