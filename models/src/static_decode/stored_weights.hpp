#pragma once

// The fused (and possibly quantised) language weights loaded for a StaticDecoder, and their
// copy on disk: quantising a 7B model takes a while, reading the stored result is a file read.

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <filesystem>

#include "seer/models/language_config.hpp"
#include "seer/models/quantization.hpp"
#include "seer/models/safetensors.hpp"
#include "seer/models/static_decoder.hpp"
#include "static_decode/fused_weights.hpp"

namespace seer::models {

// From `cache` when it was written for this checkpoint (same file size and modification time),
// quantisation, dtype and norm folding (fuse_language_weights); otherwise from the checkpoint,
// quantised on `device`, and written to `cache` (atomically: a failed write leaves no file) when
// a path is given. A cache that cannot be read or written is told to `warn` and the load goes on.
FusedLanguageWeights load_fused_weights(const LanguageConfig& config,
                                        const SafetensorsFile& checkpoint, at::ScalarType dtype,
                                        at::Device device, Quantization quantization,
                                        const std::filesystem::path& cache,
                                        const CacheWarning& warn, bool fold_norms);

}  // namespace seer::models
