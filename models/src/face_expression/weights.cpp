#include "face_expression/weights.hpp"

#include <ATen/ATen.h>

#include <string>

namespace seer::models {

namespace {

constexpr std::array<std::int64_t, 4> kBlockChannels{32, 64, 128, 256};
constexpr std::int64_t kImageChannels = 3;
// The layout of the activations too (net.cpp).
constexpr at::MemoryFormat kLayout = at::MemoryFormat::ChannelsLast;

// tfjs stores filters as [height, width, in, out]; conv2d wants [out, in, height, width].
ConvolutionUnit plain_unit(const TfjsWeights& tfjs, const std::string& prefix, std::int64_t in,
                           std::int64_t out) {
  ConvolutionUnit unit;
  unit.pointwise =
      tfjs.require(prefix + "/filters", {3, 3, in, out}).permute({3, 2, 0, 1}).contiguous(kLayout);
  unit.bias = tfjs.require(prefix + "/bias", {out});
  return unit;
}

ConvolutionUnit separable_unit(const TfjsWeights& tfjs, const std::string& prefix, std::int64_t in,
                               std::int64_t out) {
  ConvolutionUnit unit;
  // [3, 3, C, 1] → [C, 1, 3, 3]; [1, 1, C, O] → [O, C, 1, 1].
  unit.depthwise = tfjs.require(prefix + "/depthwise_filter", {3, 3, in, 1})
                       .permute({2, 3, 0, 1})
                       .contiguous(kLayout);
  unit.pointwise = tfjs.require(prefix + "/pointwise_filter", {1, 1, in, out})
                       .permute({3, 2, 0, 1})
                       .contiguous(kLayout);
  unit.bias = tfjs.require(prefix + "/bias", {out});
  return unit;
}

}  // namespace

FaceExpressionWeights face_expression_weights(const TfjsWeights& tfjs) {
  FaceExpressionWeights weights;
  std::int64_t in = kImageChannels;
  for (std::size_t block = 0; block < kBlockChannels.size(); ++block) {
    const std::int64_t out = kBlockChannels[block];
    const std::string prefix = "dense" + std::to_string(block) + "/conv";
    DenseBlockWeights& dense = weights.blocks[block];
    dense.units[0] = block == 0 ? plain_unit(tfjs, prefix + "0", in, out)
                                : separable_unit(tfjs, prefix + "0", in, out);
    for (std::size_t unit = 1; unit < dense.units.size(); ++unit) {
      dense.units[unit] = separable_unit(tfjs, prefix + std::to_string(unit), out, out);
    }
    in = out;
  }
  const auto classes = static_cast<std::int64_t>(kFaceExpressionLabels.size());
  // Used as x·W in tfjs; at::linear wants W transposed.
  weights.classifier_weight = tfjs.require("fc/weights", {in, classes}).t().contiguous();
  weights.classifier_bias = tfjs.require("fc/bias", {classes});
  return weights;
}

}  // namespace seer::models
