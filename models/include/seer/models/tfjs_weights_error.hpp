#pragma once
// The error of reading TensorFlow.js weights, apart from the tensors so that the manifest
// parser builds without libtorch (the fuzzers).

#include <stdexcept>

namespace seer::models {

// Every failure to read a tfjs model; the message names the file and, where one is involved,
// the weight.
class TfjsWeightsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace seer::models
