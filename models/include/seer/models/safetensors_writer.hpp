#pragma once

// Writing safetensors files: the format SafetensorsFile reads (8-byte little-endian header
// length, a JSON header padded with spaces to 8 bytes, the tensors' bytes back to back).
// The file is written as `path`.tmp, flushed to disk and renamed, so a crash or a full disk
// never leaves a partial file under `path`.

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "seer/models/safetensors.hpp"

namespace seer::models {

// A tensor as the header will describe it.
struct TensorSpec {
  std::string name;
  at::ScalarType dtype;
  std::vector<std::int64_t> shape;
};

// The tensor for `specs[index]`, asked for once per index, in order; it must have the spec's
// dtype and shape (any device, any strides).
using TensorProducer = std::function<at::Tensor(std::size_t index)>;

using SafetensorsMetadata = std::map<std::string, std::string>;

// Writes `specs` in order, asking `produce` for each tensor's values only when its bytes are
// due, so at most one tensor is held at a time (checkpoints larger than memory). Types: float64,
// float32, float16, bfloat16, int64, int32, int8, uint8, bool. Throws SafetensorsError naming
// `path` (and the OS error or the tensor) after removing the temporary file; an existing file
// at `path` is left as it was.
void write_safetensors(const std::filesystem::path& path, const std::vector<TensorSpec>& specs,
                       const TensorProducer& produce, const SafetensorsMetadata& metadata = {});

// Writes `tensors` in the order given.
void write_safetensors(const std::filesystem::path& path,
                       const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                       const SafetensorsMetadata& metadata = {});

}  // namespace seer::models
