#pragma once
// BlazeFace's output, model-free: MediaPipe's SSD anchors for the 128×128 front model and the
// decoding of one anchor's 16 regressors (box + 6 keypoints) and its score logit.

#include <array>
#include <vector>

namespace seer::faces {

// An anchor centre in [0, 1] model-input coordinates (the front model's anchors are all 1×1).
struct Anchor {
  float x_center = 0;
  float y_center = 0;
};

// MediaPipe's front-model options: 4 layers, strides 8, 16, 16, 16, two anchors per cell and
// layer, consecutive layers of one stride sharing a grid: 16×16×2 + 8×8×6 = 896 anchors.
std::vector<Anchor> blazeface_front_anchors(int input_size = 128);

inline constexpr int kBlazeFaceRegressors = 16;
inline constexpr int kBlazeFaceKeypoints = 6;

// A decoded anchor in [0, 1] model-input coordinates.
struct BlazeFaceCandidate {
  float x_min = 0;
  float y_min = 0;
  float width = 0;
  float height = 0;
  float score = 0;  // sigmoid of the clamped logit
  // right eye, left eye, nose tip, mouth centre, right ear tragion, left ear tragion
  std::array<float, 2 * kBlazeFaceKeypoints> keypoints{};
};

// Regressors are offsets in input pixels: centre offsets from the anchor, then size, then
// keypoint offsets from the anchor.
BlazeFaceCandidate decode_blazeface_anchor(const float* regressors, float score_logit,
                                           const Anchor& anchor, int input_size = 128);

}  // namespace seer::faces
