#include "bagel_settings.hpp"

#include <string>

namespace seer::bagel {
namespace {

constexpr std::int64_t kMinContext = 16;
constexpr std::int64_t kMaxContext = 1 << 20;

bool is_device_name(const std::string& device) {
  if (device == "cpu" || device == "cuda" || device == "auto") return true;
  if (!device.starts_with("cuda:") || device.size() == 5) return false;
  return device.find_first_not_of("0123456789", 5) == std::string::npos;
}

}  // namespace

ConfigSchema bagel_config_schema() {
  ConfigSchema schema;
  schema.required("model", ConfigType::string,
                  "the checkpoint directory: ema.safetensors, llm_config.json, vit_config.json "
                  "and the tokenizer files, as released");
  schema.optional("model_name", ConfigType::string,
                  "the name clients know the model by (Ollama's model field)", "bagel-7b-mot");
  schema.optional("tokenizer", ConfigType::string,
                  "a tokenizer.json to use instead of the model directory's");
  schema.optional("device", ConfigType::string,
                  "cpu, cuda, cuda:N or auto (the first GPU when there is one, else the CPU)",
                  "cpu");
  schema.choice("dtype", {"float32", "bfloat16", "float16"},
                "weights and activations (float16 for pre-Ampere GPUs such as the V100)",
                "float32 on the CPU, bfloat16 on a GPU");
  schema.add(ConfigField{.key = "context_length",
                         .type = ConfigType::integer,
                         .description = "tokens one conversation may hold (Ollama's num_ctx); an "
                                        "image takes one per 14x14 patch",
                         .default_text = "8192",
                         .minimum = static_cast<double>(kMinContext),
                         .maximum = static_cast<double>(kMaxContext)});
  schema.choice("preprocessing", {"chat", "inferencer"},
                "image resizing: the official chat() path (980/378/14) or the demo's", "chat");
  schema.optional("keep_alive", ConfigType::duration,
                  "how long the weights stay in memory after a request that names no keep_alive "
                  "(Ollama's); they load again with the next request",
                  "for ever");
  schema.add(
      ConfigField{.key = "threads",
                  .type = ConfigType::integer,
                  .description = "torch intra-op threads (process-wide; default: libtorch's)",
                  .minimum = 1,
                  .maximum = 256});
  schema.choice("decoder", {"auto", "eager", "static"},
                "the eager engine (one request at a time) or the static one (fused weights, CUDA "
                "graphs, quantisation, concurrent requests decoding together); auto: static on "
                "a GPU or with quant, eager on the CPU",
                "auto");
  schema.choice("quant", {"none", "int8", "int4", "nf4"},
                "weight-only quantisation of the language model at load (needs the static "
                "decoder)",
                "none");
  schema.optional("quantized_cache", ConfigType::string,
                  "a file where the quantised weights are saved and read back at the next load "
                  "(a failed write is a warning)");
  schema.add(ConfigField{.key = "batch",
                         .type = ConfigType::integer,
                         .description = "requests the static decoder runs together; more wait "
                                        "for a slot",
                         .default_text = "4 on a GPU, 1 on the CPU",
                         .minimum = 1,
                         .maximum = 8});
  return schema;
}

BagelSettings read_bagel_settings(const ConfigNode& config) {
  BagelSettings settings;
  settings.model = config["model"].as_string();
  settings.model_name = config["model_name"].string_or(settings.model_name);
  if (settings.model_name.empty()) throw config["model_name"].error("model_name is empty");
  if (const ConfigNode tokenizer = config["tokenizer"]; tokenizer.defined()) {
    settings.tokenizer = tokenizer.as_string();
  }
  const ConfigNode device = config["device"];
  settings.device = device.string_or("cpu");
  if (!is_device_name(settings.device)) {
    throw device.error("device must be cpu, cuda, cuda:N or auto, got '" + settings.device + "'");
  }
  settings.dtype = config["dtype"].string_or("");
  const ConfigNode context = config["context_length"];
  settings.context_length = context.int_or(settings.context_length);
  if (settings.context_length < kMinContext || settings.context_length > kMaxContext) {
    throw context.error("context_length must be between " + std::to_string(kMinContext) + " and " +
                        std::to_string(kMaxContext));
  }
  settings.preprocessing = config["preprocessing"].string_or("chat");
  if (const ConfigNode threads = config["threads"]; threads.defined()) {
    settings.threads = static_cast<int>(threads.int_or(1));
  }
  settings.decoder = config["decoder"].string_or(settings.decoder);
  const ConfigNode quant = config["quant"];
  settings.quant = quant.string_or(settings.quant);
  if (settings.quant != "none" && settings.decoder == "eager") {
    throw quant.error("quant " + settings.quant +
                      " needs the static decoder: set decoder to static or auto, or quant to none");
  }
  if (const ConfigNode cache = config["quantized_cache"]; cache.defined()) {
    settings.quantized_cache = cache.as_string();
  }
  if (const ConfigNode batch = config["batch"]; batch.defined()) {
    settings.batch = batch.int_or(1);
  }
  if (const ConfigNode keep = config["keep_alive"]; keep.defined()) {
    settings.keep_alive = keep.as_duration();
  }
  return settings;
}

}  // namespace seer::bagel
