#include "blazeface_anchors.hpp"

#include <algorithm>
#include <cmath>

namespace seer::faces {

std::vector<Anchor> blazeface_front_anchors(int input_size) {
  constexpr std::array kStrides{8, 16, 16, 16};
  constexpr int kAnchorsPerLayer = 2;  // aspect ratio 1, plus the interpolated scale
  std::vector<Anchor> anchors;
  std::size_t layer = 0;
  while (layer < kStrides.size()) {
    const int stride = kStrides[layer];
    int anchors_per_cell = 0;
    for (; layer < kStrides.size() && kStrides[layer] == stride; ++layer) {
      anchors_per_cell += kAnchorsPerLayer;
    }
    const int cells = (input_size + stride - 1) / stride;
    for (int y = 0; y < cells; ++y) {
      for (int x = 0; x < cells; ++x) {
        const Anchor anchor{(x + 0.5f) / cells, (y + 0.5f) / cells};
        anchors.insert(anchors.end(), anchors_per_cell, anchor);
      }
    }
  }
  return anchors;
}

BlazeFaceCandidate decode_blazeface_anchor(const float* regressors, float score_logit,
                                           const Anchor& anchor, int input_size) {
  const float size = static_cast<float>(input_size);
  const float x_center = regressors[0] / size + anchor.x_center;
  const float y_center = regressors[1] / size + anchor.y_center;
  const float width = regressors[2] / size;
  const float height = regressors[3] / size;

  BlazeFaceCandidate candidate;
  candidate.x_min = x_center - width / 2;
  candidate.y_min = y_center - height / 2;
  candidate.width = width;
  candidate.height = height;
  // MediaPipe clamps logits to ±100 so exp() cannot overflow.
  candidate.score = 1.0f / (1.0f + std::exp(-std::clamp(score_logit, -100.0f, 100.0f)));
  for (int k = 0; k < kBlazeFaceKeypoints; ++k) {
    candidate.keypoints[2 * k] = regressors[4 + 2 * k] / size + anchor.x_center;
    candidate.keypoints[2 * k + 1] = regressors[5 + 2 * k] / size + anchor.y_center;
  }
  return candidate;
}

}  // namespace seer::faces
