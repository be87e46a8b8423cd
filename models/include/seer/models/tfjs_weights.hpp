#pragma once

// Reading TensorFlow.js weight files: a JSON manifest naming binary shards and the weights
// packed in them (float32, or uint8/uint16/float16 quantised), decoded to float32 tensors.

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "seer/models/tfjs_weights_error.hpp"

namespace seer::models {

class TfjsWeights {
 public:
  // Reads `manifest` and the binary files its groups name (`paths`, relative to the
  // manifest's folder), checking every size before decoding a single weight.
  static TfjsWeights load(const std::filesystem::path& manifest);

  const std::filesystem::path& manifest() const { return manifest_; }
  std::size_t size() const { return tensors_.size(); }
  bool contains(std::string_view name) const;
  std::vector<std::string> names() const;  // sorted

  // The float32 weight `name` in the manifest's layout; throws TfjsWeightsError when it is
  // missing or its shape is not `shape`.
  at::Tensor require(std::string_view name, at::IntArrayRef shape) const;

 private:
  std::filesystem::path manifest_;
  std::map<std::string, at::Tensor, std::less<>> tensors_;
};

}  // namespace seer::models
