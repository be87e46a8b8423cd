#include "seer/models/bagel_runtime.hpp"

#include <stdexcept>
#include <string>
#include <utility>

#include "seer/models/bagel_engine.hpp"
#include "seer/models/batched_decoder.hpp"
#include "seer/models/language_config.hpp"
#include "seer/models/static_decoder.hpp"
#include "seer/models/vision_tower.hpp"

namespace seer::models {
namespace {

// Elements of the checkpoint's understanding tensors, those of the language model included or
// not.
std::int64_t understanding_elements(const SafetensorsFile& checkpoint, bool language) {
  std::int64_t count = 0;
  for (const std::string& key : checkpoint.keys()) {
    if (!is_understanding_key(key)) continue;
    if (!language && key.starts_with("language_model.")) continue;
    std::int64_t elements = 1;
    for (const std::int64_t size : checkpoint.require(key).shape) elements *= size;
    count += elements;
  }
  return count;
}

}  // namespace

DecoderChoice parse_decoder_choice(std::string_view name) {
  if (name == "auto") return DecoderChoice::automatic;
  if (name == "eager") return DecoderChoice::eager;
  if (name == "static") return DecoderChoice::fast;
  throw std::invalid_argument("unknown decoder '" + std::string(name) +
                              "': choose auto, eager or static");
}

BagelRuntime::~BagelRuntime() = default;

std::unique_ptr<BagelRuntime> BagelRuntime::load(const std::filesystem::path& model_dir,
                                                 const BagelRuntimeOptions& options) {
  const bool fast = options.decoder == DecoderChoice::fast ||
                    (options.decoder == DecoderChoice::automatic &&
                     (options.load.device.is_cuda() || options.quantization != Quantization::none));
  if (!fast && options.quantization != Quantization::none) {
    throw std::invalid_argument("quant " + std::string(quantization_name(options.quantization)) +
                                " needs the static decoder (decoder: static or auto), not eager");
  }
  if (options.batch < 0 || options.batch > kMaxStaticSlots) {
    throw std::invalid_argument("batch must be 1.." + std::to_string(kMaxStaticSlots) + ", got " +
                                std::to_string(options.batch));
  }
  std::unique_ptr<BagelRuntime> runtime(new BagelRuntime());
  runtime->dtype_ = options.load.float_dtype.value_or(at::kFloat);
  runtime->device_ = options.load.device;
  runtime->quantization_ = options.quantization;
  const auto start = std::chrono::steady_clock::now();
  const SafetensorsFile checkpoint(model_dir / "ema.safetensors");
  runtime->parameters_ = understanding_elements(checkpoint, true);
  const auto element_bytes = static_cast<std::int64_t>(c10::elementSize(runtime->dtype_));
  if (!fast) {
    runtime->engine_ = std::make_unique<BagelEngine>(BagelEngine::load(model_dir, options.load));
    runtime->weight_bytes_ = runtime->parameters_ * element_bytes;
  } else {
    LoadOptions vision_options = options.load;
    vision_options.float_dtype = runtime->dtype_;
    runtime->vision_ = std::make_unique<VisionTower>(VisionTower::load(model_dir, vision_options));
    const std::int64_t slots =
        options.batch > 0 ? options.batch : (runtime->device_.is_cuda() ? 4 : 1);
    StaticDecoder decoder(LanguageConfig::from_json_file(model_dir / "llm_config.json"), checkpoint,
                          runtime->dtype_, runtime->device_,
                          {.capacity = options.context_length + 1,  // one row rides along
                           .slots = slots,
                           .quantization = options.quantization,
                           .quantized_cache = options.quantized_cache,
                           .on_cache_warning = options.on_cache_warning});
    runtime->weight_bytes_ =
        understanding_elements(checkpoint, false) * element_bytes + decoder.resident_weight_bytes();
    runtime->batched_ = std::make_unique<BatchedDecoder>(std::move(decoder));
  }
  runtime->load_duration_ = std::chrono::steady_clock::now() - start;
  return runtime;
}

std::unique_ptr<DecodingSequence> BagelRuntime::open(std::stop_token cancel) const {
  if (batched_) return batched_->open(*vision_, std::move(cancel));
  return eager_sequence(engine_->language_model(), engine_->vision_tower());
}

std::int64_t BagelRuntime::batch() const { return batched_ ? batched_->decoder().slots() : 1; }

std::string BagelRuntime::quantization_level() const {
  switch (quantization_) {
    case Quantization::int8:
      return "INT8";
    case Quantization::int4:
      return "INT4";
    case Quantization::nf4:
      return "NF4";
    case Quantization::none:
      break;
  }
  return dtype_ == at::kFloat ? "F32" : dtype_ == at::kBFloat16 ? "BF16" : "F16";
}

}  // namespace seer::models
