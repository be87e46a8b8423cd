#pragma once
// The bagel-tiny fixture loaded once per test binary: the eager engine, the real tokenizer, and
// static decoders over the same weights, shared by the conversation and decoding tests.

#include <cstdint>

#include "fixture_support.hpp"
#include "seer/models/bagel_engine.hpp"
#include "seer/models/static_decoder.hpp"
#include "seer/models/tokenizer.hpp"
#include "test_assets.hpp"

namespace seer::models::test {

inline const BagelEngine& tiny_engine() {
  static const BagelEngine engine = BagelEngine::load(kFixtureDir);
  return engine;
}

inline const Qwen2Tokenizer& tiny_tokenizer() {
  static const Qwen2Tokenizer tokenizer =
      Qwen2Tokenizer::load(seer::test::asset("tokenizer/tokenizer.json"));
  return tokenizer;
}

// float32 on the CPU, as the eager engine above.
inline StaticDecoder tiny_static_decoder(std::int64_t slots, std::int64_t capacity,
                                         Quantization quantization = Quantization::none) {
  return StaticDecoder(LanguageConfig::from_json_file(kFixtureDir / "llm_config.json"),
                       SafetensorsFile(kFixtureDir / "ema.safetensors"), at::kFloat, at::kCPU,
                       {.capacity = capacity, .slots = slots, .quantization = quantization});
}

}  // namespace seer::models::test
