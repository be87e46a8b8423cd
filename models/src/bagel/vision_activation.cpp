#include "bagel/vision_activation.hpp"

#include <ATen/ATen.h>

#include <string>

#include "seer/models/vision_config.hpp"

namespace seer::models::bagel {

Activation parse_activation(std::string_view name) {
  // gelu_new and gelu_pytorch_tanh are the same function in Hugging Face, both tanh-approximated.
  if (name == "gelu_pytorch_tanh" || name == "gelu_new") return Activation::kGeluTanh;
  if (name == "gelu") return Activation::kGeluExact;
  throw VisionConfigError("unsupported activation '" + std::string(name) +
                          "' (expected gelu_pytorch_tanh, gelu_new or gelu)");
}

at::Tensor apply_activation(Activation activation, const at::Tensor& x) {
  return at::gelu(x, activation == Activation::kGeluTanh ? "tanh" : "none");
}

}  // namespace seer::models::bagel
