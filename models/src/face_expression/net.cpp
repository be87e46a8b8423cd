#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

#include "face_expression/weights.hpp"
#include "seer/models/face_expression.hpp"

namespace seer::models {

namespace {

constexpr std::int64_t kKernel = 3;
constexpr std::array<std::int64_t, 2> kNoPadding{0, 0};
constexpr std::array<std::int64_t, 2> kNoDilation{1, 1};
// face-api's per-channel RGB mean, subtracted before dividing by 255.
constexpr std::array<double, 3> kChannelMean{122.782, 117.001, 104.298};

// TensorFlow's "SAME" padding: enough for ceil(length / stride) outputs, the odd pixel going
// after. For stride 2 on an even size that is 0 before and 1 after, not PyTorch's 1 and 1.
std::pair<std::int64_t, std::int64_t> same_padding(std::int64_t length, std::int64_t stride) {
  const std::int64_t outputs = (length + stride - 1) / stride;
  const std::int64_t total = std::max<std::int64_t>((outputs - 1) * stride + kKernel - length, 0);
  return {total / 2, total - total / 2};
}

// oneDNN directly where libtorch has it: at::conv2d sends these small convolutions to the
// BLAS, which (Debian's reference BLAS) is about twenty times slower.
at::Tensor convolution(const at::Tensor& input, const at::Tensor& weight, const at::Tensor& bias,
                       std::int64_t stride, at::IntArrayRef padding, std::int64_t groups) {
  const std::array<std::int64_t, 2> strides{stride, stride};
  if (at::hasMKLDNN() && input.device().is_cpu()) {
    return at::mkldnn_convolution(input, weight, bias, padding, strides, kNoDilation, groups);
  }
  return at::conv2d(input, weight, bias, strides, padding, kNoDilation, groups);
}

// The spatial 3×3 convolution of a unit with "SAME" padding.
at::Tensor spatial_convolution(const at::Tensor& input, const at::Tensor& filter,
                               const at::Tensor& bias, std::int64_t stride, std::int64_t groups) {
  const auto [top, bottom] = same_padding(input.size(2), stride);
  const auto [left, right] = same_padding(input.size(3), stride);
  if (top == bottom && left == right) {
    const std::array<std::int64_t, 2> padding{top, left};
    return convolution(input, filter, bias, stride, padding, groups);
  }
  const at::Tensor padded = at::constant_pad_nd(input, {left, right, top, bottom}, 0.0);
  return convolution(padded, filter, bias, stride, kNoPadding, groups);
}

at::Tensor apply(const ConvolutionUnit& unit, const at::Tensor& input, std::int64_t stride) {
  if (!unit.separable()) return spatial_convolution(input, unit.pointwise, unit.bias, stride, 1);
  const at::Tensor spatial =
      spatial_convolution(input, unit.depthwise, at::Tensor(), stride, input.size(1));
  return convolution(spatial, unit.pointwise, unit.bias, 1, kNoPadding, 1);
}

// Units joined by sums, not concatenation: each sees the ReLU of all earlier outputs' sum.
at::Tensor dense_block(const DenseBlockWeights& block, const at::Tensor& input) {
  // In place where it is safe: fewer large temporaries for the allocator to hand back.
  const at::Tensor first = apply(block.units[0], input, 2).relu_();
  at::Tensor sum = apply(block.units[1], first, 1).add_(first);
  sum.add_(apply(block.units[2], at::relu(sum), 1));
  sum.add_(apply(block.units[3], at::relu(sum), 1));
  return sum.relu_();
}

void check_batch(const at::Tensor& batch) {
  const std::int64_t size = kFaceExpressionInputSize;
  if (!batch.defined() || batch.dim() != 4 || batch.size(1) != 3 || batch.size(2) != size ||
      batch.size(3) != size || !at::isFloatingType(batch.scalar_type())) {
    throw std::invalid_argument(
        "FaceExpressionNet expects a float batch [N, 3, 112, 112] of RGB in 0..255, got " +
        (batch.defined()
             ? std::string(c10::toString(batch.scalar_type())) + " " + c10::str(batch.sizes())
             : std::string("an undefined tensor")));
  }
}

}  // namespace

std::string_view FaceExpressions::top_label(std::int64_t row) const {
  const std::int64_t best = probabilities[row].argmax().item<std::int64_t>();
  return kFaceExpressionLabels.at(static_cast<std::size_t>(best));
}

FaceExpressionNet::FaceExpressionNet(std::shared_ptr<const FaceExpressionWeights> weights)
    : weights_(std::move(weights)) {}

FaceExpressionNet FaceExpressionNet::load(const std::filesystem::path& manifest) {
  return FaceExpressionNet(std::make_shared<const FaceExpressionWeights>(
      face_expression_weights(TfjsWeights::load(manifest))));
}

FaceExpressions FaceExpressionNet::forward(const at::Tensor& batch) const {
  check_batch(batch);
  c10::InferenceMode inference;
  const at::Tensor mean =
      at::tensor(at::ArrayRef<double>(kChannelMean), at::kFloat).view({1, 3, 1, 1});
  // Channels-last is the layout oneDNN's depthwise convolutions are fast in.
  at::Tensor features =
      ((batch.to(at::kFloat) - mean) / 255.0).contiguous(at::MemoryFormat::ChannelsLast);
  for (const DenseBlockWeights& block : weights_->blocks) features = dense_block(block, features);
  const at::Tensor pooled = features.mean({2, 3});
  at::Tensor logits = at::linear(pooled, weights_->classifier_weight, weights_->classifier_bias);
  at::Tensor probabilities = at::softmax(logits, 1);
  return {std::move(logits), std::move(probabilities)};
}

FaceExpressions FaceExpressionNet::read(const RgbImageView& face, FaceResize resize) const {
  c10::InferenceMode inference;
  return forward(face_expression_input(face, resize));
}

}  // namespace seer::models
