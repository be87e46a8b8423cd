// BlazeFace's anchor layout and per-anchor decoding, with hand-made regressors.

#include "blazeface_anchors.hpp"

#include <gtest/gtest.h>

#include <array>

namespace seer::faces {
namespace {

TEST(BlazeFaceAnchors, FollowMediaPipesFrontModelLayout) {
  const std::vector<Anchor> anchors = blazeface_front_anchors();
  ASSERT_EQ(anchors.size(), 896u);
  // 16×16 cells with 2 anchors each, row by row...
  EXPECT_FLOAT_EQ(anchors[0].x_center, 0.5f / 16);
  EXPECT_FLOAT_EQ(anchors[0].y_center, 0.5f / 16);
  EXPECT_FLOAT_EQ(anchors[1].x_center, 0.5f / 16);
  EXPECT_FLOAT_EQ(anchors[2].x_center, 1.5f / 16);
  EXPECT_FLOAT_EQ(anchors[2 * 16].y_center, 1.5f / 16);
  EXPECT_FLOAT_EQ(anchors[511].x_center, 15.5f / 16);
  EXPECT_FLOAT_EQ(anchors[511].y_center, 15.5f / 16);
  // ...then 8×8 cells with 6 each (three stride-16 layers share one grid).
  for (std::size_t i = 512; i < 518; ++i) {
    EXPECT_FLOAT_EQ(anchors[i].x_center, 0.5f / 8) << i;
    EXPECT_FLOAT_EQ(anchors[i].y_center, 0.5f / 8) << i;
  }
  EXPECT_FLOAT_EQ(anchors[518].x_center, 1.5f / 8);
  EXPECT_FLOAT_EQ(anchors[895].x_center, 7.5f / 8);
  EXPECT_FLOAT_EQ(anchors[895].y_center, 7.5f / 8);
}

TEST(BlazeFaceAnchors, DecodeOffsetsInInputPixels) {
  std::array<float, kBlazeFaceRegressors> regressors{};
  regressors[0] = 12.8f;    // centre 0.1 right of the anchor
  regressors[1] = -6.4f;    // 0.05 above
  regressors[2] = 32;       // 0.25 wide
  regressors[3] = 64;       // 0.5 high
  regressors[4] = 1.28f;    // right eye 0.01 right of the anchor
  regressors[15] = -12.8f;  // left ear 0.1 above
  const Anchor anchor{0.5f, 0.5f};

  const BlazeFaceCandidate candidate = decode_blazeface_anchor(regressors.data(), 0, anchor);
  EXPECT_FLOAT_EQ(candidate.x_min, 0.6f - 0.125f);
  EXPECT_FLOAT_EQ(candidate.y_min, 0.45f - 0.25f);
  EXPECT_FLOAT_EQ(candidate.width, 0.25f);
  EXPECT_FLOAT_EQ(candidate.height, 0.5f);
  EXPECT_FLOAT_EQ(candidate.score, 0.5f);
  EXPECT_FLOAT_EQ(candidate.keypoints[0], 0.51f);
  EXPECT_FLOAT_EQ(candidate.keypoints[1], 0.5f);
  EXPECT_FLOAT_EQ(candidate.keypoints[11], 0.4f);
}

TEST(BlazeFaceAnchors, ScoresAreSigmoidsThatNeverOverflow) {
  const std::array<float, kBlazeFaceRegressors> regressors{};
  const Anchor anchor{};
  EXPECT_NEAR(decode_blazeface_anchor(regressors.data(), 2.0f, anchor).score, 0.880797f, 1e-6f);
  EXPECT_NEAR(decode_blazeface_anchor(regressors.data(), -2.0f, anchor).score, 0.119203f, 1e-6f);
  EXPECT_FLOAT_EQ(decode_blazeface_anchor(regressors.data(), 1e30f, anchor).score, 1.0f);
  EXPECT_GE(decode_blazeface_anchor(regressors.data(), -1e30f, anchor).score, 0.0f);
}

}  // namespace
}  // namespace seer::faces
