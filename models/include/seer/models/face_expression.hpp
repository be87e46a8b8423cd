#pragma once

// face-api's FaceExpressionNet: four dense blocks of (mostly depthwise-separable) 3×3
// convolutions on a 112×112 RGB face, global average pooling and a 7-way linear head.

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "seer/models/face_expression_input.hpp"

namespace seer::models {

// The network's classes, in the order of its outputs.
inline constexpr std::array<std::string_view, 7> kFaceExpressionLabels{
    "neutral", "happy", "sad", "angry", "fearful", "disgusted", "surprised"};

struct FaceExpressions {
  at::Tensor logits;         // [N, 7] float32, before softmax
  at::Tensor probabilities;  // [N, 7] softmax of the logits

  // The most probable class of batch row `row`.
  std::string_view top_label(std::int64_t row = 0) const;
};

struct FaceExpressionWeights;  // defined in src/face_expression/weights.hpp

class FaceExpressionNet {
 public:
  // Reads the tfjs manifest (face_expression_model-weights_manifest.json) and the .bin its
  // `paths` name beside it; throws TfjsWeightsError naming the file and weight on a mismatch.
  static FaceExpressionNet load(const std::filesystem::path& manifest);

  // `batch`: [N, 3, 112, 112] float32 RGB in 0..255 (what face_expression_input makes); the
  // mean subtraction and /255 happen here. Throws std::invalid_argument for another shape.
  FaceExpressions forward(const at::Tensor& batch) const;

  // One face crop: padded to a square, resized to 112×112 and classified.
  FaceExpressions read(const RgbImageView& face, FaceResize resize = FaceResize::bilinear) const;

 private:
  explicit FaceExpressionNet(std::shared_ptr<const FaceExpressionWeights> weights);
  std::shared_ptr<const FaceExpressionWeights>
      weights_;  // immutable: one net may serve many threads
};

}  // namespace seer::models
