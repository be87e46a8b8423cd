// Preparing a face crop for FaceExpressionNet: centred zero padding to a square, then
// tf.image.resizeBilinear's sampling or OpenCV's INTER_AREA weights.

#include <ATen/ATen.h>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "face_expression_assets.hpp"
#include "seer/models/face_expression_input.hpp"

namespace seer::models {
namespace {

using test::asset_present;
using test::photo;

// A [height, width, 3] 8-bit image with a varied pattern, and its view.
struct TestImage {
  TestImage(int w, int h) : width(w), height(h), pixels(static_cast<std::size_t>(w * h * 3)) {
    for (std::size_t i = 0; i < pixels.size(); ++i) {
      pixels[i] = static_cast<std::uint8_t>((i * 37 + i / 7) % 256);
    }
  }
  RgbImageView view() const { return {pixels.data(), width, height, 3 * std::size_t(width)}; }
  // [3, height, width] float.
  at::Tensor planes() const {
    return at::from_blob(const_cast<std::uint8_t*>(pixels.data()), {height, width, 3}, at::kByte)
        .permute({2, 0, 1})
        .to(at::kFloat);
  }
  int width;
  int height;
  std::vector<std::uint8_t> pixels;
};

TEST(FaceExpressionInput, BilinearHalvingSamplesEvenPixelsWithoutHalfPixelOffset) {
  const TestImage image(224, 224);
  const at::Tensor input = face_expression_input(image.view(), FaceResize::bilinear);
  ASSERT_EQ(input.sizes(), (at::IntArrayRef{1, 3, 112, 112}));
  // tfjs reads source j × 2 exactly; a half-pixel resize would average two pixels instead.
  const at::Tensor expected = image.planes().slice(1, 0, 224, 2).slice(2, 0, 224, 2);
  EXPECT_TRUE(at::equal(input[0], expected));
}

TEST(FaceExpressionInput, BilinearInterpolatesBetweenNeighbours) {
  // One row 0, 100 enlarged to 4: sources 0, 0.5, 1, 1.5 (the last clamps to pixel 1).
  const std::vector<std::uint8_t> pixels{0, 0, 0, 100, 100, 100, 0, 0, 0, 100, 100, 100};
  const at::Tensor input = face_expression_input({pixels.data(), 2, 2, 6}, FaceResize::bilinear, 4);
  EXPECT_TRUE(at::allclose(input[0][0][0], at::tensor({0.0F, 50.0F, 100.0F, 100.0F})));
}

TEST(FaceExpressionInput, WideCropsArePaddedWithZeroRowsCentred) {
  const TestImage image(224, 112);  // padded to 224×224: 56 zero rows above and below
  const at::Tensor input = face_expression_input(image.view(), FaceResize::bilinear);
  EXPECT_EQ(input[0].slice(1, 0, 28).abs().sum().item<float>(), 0.0F);
  EXPECT_EQ(input[0].slice(1, 84, 112).abs().sum().item<float>(), 0.0F);
  const at::Tensor expected = image.planes().slice(1, 0, 112, 2).slice(2, 0, 224, 2);
  EXPECT_TRUE(at::equal(input[0].slice(1, 28, 84), expected));
}

TEST(FaceExpressionInput, OddPaddingPutsTheExtraColumnAfterTheImage) {
  // 1 wide, 4 high: 3 zero columns, one before and two after (face-api's padToSquare).
  const std::vector<std::uint8_t> pixels(12, 200);
  const at::Tensor input = face_expression_input({pixels.data(), 1, 4, 3}, FaceResize::area, 4);
  EXPECT_TRUE(at::equal(input[0][1][2], at::tensor({0.0F, 200.0F, 0.0F, 0.0F})));
}

TEST(FaceExpressionInput, AreaAveragesWholeBlocks) {
  const TestImage image(336, 336);  // 3×3 blocks per output pixel
  const at::Tensor input = face_expression_input(image.view(), FaceResize::area);
  const at::Tensor expected = at::avg_pool2d(image.planes().unsqueeze(0), 3);
  EXPECT_TRUE(at::allclose(input, expected, 1e-5, 1e-3));
}

TEST(FaceExpressionInput, AreaMatchesOpenCvInterAreaOnARealFace) {
  ASSERT_TRUE(asset_present(photo("grace_hopper.jpg")));
  cv::Mat rgb;
  cv::cvtColor(cv::imread(photo("grace_hopper.jpg").string()), rgb, cv::COLOR_BGR2RGB);
  // Shrinking by a fractional factor against OpenCV, which rounds to 8 bits; enlarging, where
  // OpenCV also rounds its weights to 11-bit fixed point.
  for (const auto& [box, tolerance] : {std::pair{cv::Rect(155, 105, 222, 222), 0.51F},
                                       std::pair{cv::Rect(200, 150, 90, 90), 1.0F}}) {
    const cv::Mat crop = rgb(box);
    cv::Mat resized;
    cv::resize(crop, resized, cv::Size(112, 112), 0, 0, cv::INTER_AREA);
    const at::Tensor opencv =
        at::from_blob(resized.data, {112, 112, 3}, at::kByte).permute({2, 0, 1}).to(at::kFloat);
    const at::Tensor ours = face_expression_input(
        {crop.ptr<std::uint8_t>(), crop.cols, crop.rows, crop.step[0]}, FaceResize::area);
    EXPECT_LE((ours[0] - opencv).abs().max().item<float>(), tolerance) << box;
  }
}

TEST(FaceExpressionInput, HonoursTheRowStride) {
  const TestImage wide(8, 4);
  // The left 4 columns of the 8-wide image, read through its stride.
  const at::Tensor input =
      face_expression_input({wide.pixels.data(), 4, 4, 24}, FaceResize::area, 4);
  EXPECT_TRUE(at::equal(input[0], wide.planes().slice(2, 0, 4)));
}

TEST(FaceExpressionInput, RefusesBadViews) {
  const std::vector<std::uint8_t> pixels(12, 0);
  EXPECT_THROW(face_expression_input({nullptr, 2, 2, 6}, FaceResize::area), std::invalid_argument);
  EXPECT_THROW(face_expression_input({pixels.data(), 0, 2, 6}, FaceResize::area),
               std::invalid_argument);
  EXPECT_THROW(face_expression_input({pixels.data(), 2, -1, 6}, FaceResize::area),
               std::invalid_argument);
  EXPECT_THROW(face_expression_input({pixels.data(), 2, 2, 5}, FaceResize::bilinear),
               std::invalid_argument);
}

}  // namespace
}  // namespace seer::models
