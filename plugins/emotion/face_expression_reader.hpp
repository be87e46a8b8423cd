#pragma once
// seer::EmotionReader over face-api's FaceExpressionNet: any seer::Image face crop (BGR, RGB
// or grey) in, the seven class probabilities and the most probable label out.

#include <seer/image.hpp>
#include <seer/models/face_expression.hpp>
#include <seer/services/emotion_reader.hpp>

#include "emotion_settings.hpp"

namespace seer::emotion {

class FaceExpressionReader final : public EmotionReader {
 public:
  // Loads the model named in `settings`; throws models::TfjsWeightsError naming the file.
  explicit FaceExpressionReader(const EmotionSettings& settings);

  // Throws std::invalid_argument for an empty or inconsistent image. Safe to call from
  // several threads at once.
  EmotionReading read(const Image& face) override;

 private:
  models::FaceExpressionNet net_;
  int threads_;
  models::FaceResize resize_;
};

}  // namespace seer::emotion
