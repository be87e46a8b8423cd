#pragma once
// FaceExpressionNet's weights, taken from the tfjs manifest and laid out for at::conv2d.

#include <ATen/core/Tensor.h>

#include <array>

#include "seer/models/face_expression.hpp"
#include "seer/models/tfjs_weights.hpp"

namespace seer::models {

// A 3×3 depthwise convolution, a 1×1 pointwise one and a bias (or, for the very first unit,
// a plain 3×3 convolution in `pointwise` with `depthwise` undefined).
struct ConvolutionUnit {
  at::Tensor depthwise;  // [C, 1, 3, 3], groups = C
  at::Tensor pointwise;  // [O, C, 1, 1], or [O, C, 3, 3] for the plain first unit
  at::Tensor bias;       // [O]
  bool separable() const { return depthwise.defined(); }
};

struct DenseBlockWeights {
  std::array<ConvolutionUnit, 4> units;  // conv0 (stride 2) .. conv3
};

struct FaceExpressionWeights {
  std::array<DenseBlockWeights, 4> blocks;
  at::Tensor classifier_weight;  // [7, 256] for at::linear
  at::Tensor classifier_bias;    // [7]
};

// Checks every name and shape; throws TfjsWeightsError naming what is missing or wrong.
FaceExpressionWeights face_expression_weights(const TfjsWeights& tfjs);

}  // namespace seer::models
