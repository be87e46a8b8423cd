#pragma once

// The activations that SigLIP's MLP and BAGEL's connector may name (Hugging Face ACT2FN names).

#include <ATen/core/Tensor.h>

#include <string_view>

namespace seer::models::bagel {

enum class Activation { kGeluTanh, kGeluExact };

// Throws VisionConfigError for a name this engine does not implement.
Activation parse_activation(std::string_view name);
at::Tensor apply_activation(Activation activation, const at::Tensor& x);

}  // namespace seer::models::bagel
