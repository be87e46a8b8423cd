#include "seer/models/image_preprocessing.hpp"

#include <ATen/ATen.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "fixture_support.hpp"
#include "seer/models/safetensors.hpp"

namespace seer::models {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

using test::kFixtureDir;

// A decoded PNG in RGB(A) order (OpenCV hands out BGR(A)).
struct DecodedImage {
  std::vector<std::uint8_t> pixels;
  int width = 0;
  int height = 0;
  int channels = 0;
  ImageView view() const { return {pixels.data(), width, height, channels, 0}; }
};

DecodedImage decode_png(const fs::path& path) {
  const cv::Mat mat = cv::imread(path.string(), cv::IMREAD_UNCHANGED);
  if (mat.empty() || mat.depth() != CV_8U) {
    throw std::runtime_error("cannot decode " + path.string() + " as 8-bit");
  }
  DecodedImage image{.width = mat.cols, .height = mat.rows, .channels = mat.channels()};
  image.pixels.reserve(mat.total() * static_cast<std::size_t>(image.channels));
  for (int y = 0; y < mat.rows; ++y) {
    const std::uint8_t* row = mat.ptr<std::uint8_t>(y);
    for (int x = 0; x < mat.cols; ++x) {
      const std::uint8_t* px = row + x * image.channels;
      if (image.channels >= 3) {
        image.pixels.insert(image.pixels.end(), {px[2], px[1], px[0]});  // BGR → RGB
        if (image.channels == 4) image.pixels.push_back(px[3]);
      } else {
        image.pixels.insert(image.pixels.end(), px, px + image.channels);
      }
    }
  }
  return image;
}

// image_demo_tf was made with the demo's ViT limits alone: 150x200 → 224x294 (the VAE
// pre-resize would have given 518x686).
ImagePreprocessing settings_for(const std::string& case_name) {
  if (case_name != "image_demo_tf") return ImagePreprocessing::chat();
  ImagePreprocessing demo = ImagePreprocessing::inferencer();
  demo.pre_resize.reset();
  return demo;
}

TEST(ImagePreprocessingFixture, MatchesReferencePixelValuesOfEveryCase) {
  int images_checked = 0;
  for (const auto& entry : fs::directory_iterator(kFixtureDir)) {
    const std::string file = entry.path().filename().string();
    if (!file.starts_with("case_") || entry.path().extension() != ".json") continue;
    const json::object meta = test::read_json_object(entry.path());
    const std::string name(meta.at("name").as_string());
    const SafetensorsFile tensors(kFixtureDir / ("case_" + name + ".safetensors"));
    const json::array& images = meta.at("images").as_array();
    const json::array& shapes = meta.at("pixel_shapes").as_array();
    ASSERT_EQ(images.size(), shapes.size()) << name;
    for (std::size_t i = 0; i < images.size(); ++i) {
      SCOPED_TRACE(name + " image " + std::to_string(i));
      const DecodedImage png = decode_png(kFixtureDir / std::string(images[i].as_string()));
      const at::Tensor ours = preprocess_image(png.view(), settings_for(name));
      const at::Tensor reference = tensors.view("pixel_values_" + std::to_string(i));
      std::vector<std::int64_t> shape;
      for (const auto& dim : shapes[i].as_array()) shape.push_back(dim.to_number<std::int64_t>());
      ASSERT_EQ(ours.sizes().vec(), shape);
      ASSERT_EQ(reference.sizes().vec(), shape);
      const double mean_abs = (ours - reference).abs().mean().item<double>();
      const double max_abs = (ours - reference).abs().max().item<double>();
      std::cout << "[ image ] " << name << " image " << i << " " << shape[2] << "x" << shape[1]
                << ": mean abs diff " << mean_abs << ", max abs diff " << max_abs << "\n";
      EXPECT_LT(mean_abs, 0.01);
      EXPECT_EQ(max_abs, 0.0) << "PIL's filter was reproduced bit for bit; a change broke that";
      ++images_checked;
    }
  }
  EXPECT_EQ(images_checked, 5);  // image_chat, two_images ×2, image_demo_tf, wide_image
}

TEST(ImagePreprocessingFixture, ValuesLieInMinusOneToOne) {
  const DecodedImage png = decode_png(kFixtureDir / "image_chat_0.png");
  const at::Tensor pixels = preprocess_image(png.view());
  EXPECT_EQ(pixels.scalar_type(), at::kFloat);
  EXPECT_GE(pixels.min().item<float>(), -1.0f);
  EXPECT_LE(pixels.max().item<float>(), 1.0f);
}

TEST(ResizeRule, RoundsHalfToEvenLikePython) {
  EXPECT_EQ(round_half_even(0.5), 0.0);
  EXPECT_EQ(round_half_even(1.5), 2.0);
  EXPECT_EQ(round_half_even(2.5), 2.0);
  EXPECT_EQ(round_half_even(3.5), 4.0);
  EXPECT_EQ(round_half_even(2.4999999), 2.0);
  EXPECT_EQ(round_half_even(2.5000001), 3.0);
  EXPECT_EQ(round_half_even(-1.5), -2.0);
}

TEST(ResizeRule, HalfwaySizesGoToTheEvenNeighbour) {
  // 20x5 scaled by 0.5: height round(2.5) = 2, not 3.
  EXPECT_EQ(resized_size({20, 5}, {.max_size = 10, .min_size = 1, .stride = 1, .max_pixels = 1000}),
            (ImageSize{10, 2}));
  // 35 / 14 = 2.5 strides rounds to 2 (28), not 3 (42).
  EXPECT_EQ(resized_size({35, 35},
                         {.max_size = 980, .min_size = 35, .stride = 14, .max_pixels = 1000000}),
            (ImageSize{28, 28}));
}

TEST(ResizeRule, ChatPathMatchesTheSpecExamples) {
  const ResizeLimits chat = ImagePreprocessing::chat().vit_resize;
  EXPECT_EQ(resized_size({640, 480}, chat), (ImageSize{644, 476}));
  EXPECT_EQ(resized_size({1920, 1080}, chat), (ImageSize{980, 546}));
  EXPECT_EQ(resized_size({224, 224}, chat), (ImageSize{378, 378}));
  EXPECT_EQ(resized_size({300, 200}, chat), (ImageSize{560, 378}));
  EXPECT_EQ(resized_size({100, 2000}, chat), (ImageSize{56, 980}));
  EXPECT_EQ(resized_size({320, 240}, chat), (ImageSize{504, 378}));
  EXPECT_EQ(resized_size({150, 200}, chat), (ImageSize{378, 504}));
}

TEST(ResizeRule, LongEdgeClampWinsOverTheMinimumSide) {
  // 1400x300 is first scaled up to 1764x378, then clamped to 980 wide: 210 < 378.
  EXPECT_EQ(resized_size({1400, 300}, ImagePreprocessing::chat().vit_resize),
            (ImageSize{980, 210}));
}

// Found by fuzz/image_fuzzer: upscaling a sliver's short side to min_size took the long side
// past INT_MAX (an undefined cast); such a size is refused, one just inside still resizes.
TEST(ResizeRule, ASliverWhoseUpscaledLongSidePassesIntMaxIsRefused) {
  const ResizeLimits chat = ImagePreprocessing::chat().vit_resize;
  try {
    resized_size({1, 9'574'941}, chat);
    FAIL() << "a 1x9574941 image was resized";
  } catch (const ImagePreprocessingError& error) {
    EXPECT_NE(std::string(error.what()).find("1x9574941"), std::string::npos) << error.what();
  }
  EXPECT_THROW(resized_size({2'000'000'000, 2}, chat), ImagePreprocessingError);
  EXPECT_EQ(resized_size({1, 5'000'000}, chat), (ImageSize{14, 980}));
}

TEST(ResizeRule, InferencerPathResizesTwice) {
  const ImagePreprocessing demo = ImagePreprocessing::inferencer();
  const auto both = [&](ImageSize in) {
    return resized_size(resized_size(in, *demo.pre_resize), demo.vit_resize);
  };
  EXPECT_EQ(resized_size({640, 480}, *demo.pre_resize), (ImageSize{688, 512}));
  EXPECT_EQ(both({640, 480}), (ImageSize{686, 518}));
  EXPECT_EQ(both({1920, 1080}), (ImageSize{980, 546}));
  EXPECT_EQ(both({224, 224}), (ImageSize{518, 518}));
  EXPECT_EQ(both({300, 200}), (ImageSize{770, 518}));
  EXPECT_EQ(resized_size({100, 2000}, *demo.pre_resize), (ImageSize{48, 1024}));
  EXPECT_EQ(both({100, 2000}), (ImageSize{42, 980}));
  EXPECT_EQ(resized_size({150, 200}, demo.vit_resize), (ImageSize{224, 294}));
}

TEST(ResizeRule, MaxPixelsScalesLengthsByTheAreaRatio) {
  // 100x100 → 100x100 is 10000 pixels > 5000: the ratio 0.5 is applied to each side.
  EXPECT_EQ(resized_size({100, 100},
                         {.max_size = 1000, .min_size = 100, .stride = 1, .max_pixels = 5000}),
            (ImageSize{50, 50}));
  EXPECT_EQ(resized_size({100, 100},
                         {.max_size = 1000, .min_size = 100, .stride = 1, .max_pixels = 10000}, 2),
            (ImageSize{50, 50}));
}

TEST(ResizeRule, RefusesBadSizesAndLimits) {
  const ResizeLimits chat = ImagePreprocessing::chat().vit_resize;
  EXPECT_THROW(resized_size({0, 10}, chat), ImagePreprocessingError);
  EXPECT_THROW(resized_size({10, -1}, chat), ImagePreprocessingError);
  EXPECT_THROW(
      resized_size({10, 10}, {.max_size = 980, .min_size = 378, .stride = 0, .max_pixels = 1}),
      ImagePreprocessingError);
}

TEST(ImageResize, SameSizeIsIdentity) {
  RgbImage image{.width = 3,
                 .height = 2,
                 .pixels = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}};
  const RgbImage same = resize_bicubic(image, {3, 2});
  EXPECT_EQ(same.pixels, image.pixels);
}

TEST(ImageResize, ConstantImageStaysConstant) {
  const RgbImage flat{
      .width = 17, .height = 9, .pixels = std::vector<std::uint8_t>(17 * 9 * 3, 200)};
  for (const ImageSize size : {ImageSize{40, 30}, ImageSize{5, 4}, ImageSize{17, 3}}) {
    const RgbImage out = resize_bicubic(flat, size);
    ASSERT_EQ(out.pixels.size(), static_cast<std::size_t>(size.width * size.height * 3));
    for (const std::uint8_t v : out.pixels) EXPECT_EQ(v, 200);
  }
}

TEST(ImageResize, OvershootIsClampedToBytes) {
  // A hard edge overshoots under bicubic; the result must saturate, not wrap.
  RgbImage edge{
      .width = 4, .height = 1, .pixels = {0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255}};
  const RgbImage out = resize_bicubic(edge, {16, 1});
  EXPECT_EQ(out.pixels.front(), 0);
  EXPECT_EQ(out.pixels.back(), 255);
  for (std::size_t i = 3; i < out.pixels.size(); ++i) EXPECT_GE(out.pixels[i], out.pixels[i - 3]);
}

TEST(ImageRgb, AlphaIsCompositedOntoWhite) {
  const std::vector<std::uint8_t> rgba = {255, 0,   0,  0,    // transparent → white
                                          255, 0,   0,  255,  // opaque red stays red
                                          0,   0,   0,  128,  // half black → 127 grey
                                          100, 200, 50, 64};
  const RgbImage rgb = to_rgb({rgba.data(), 4, 1, 4, 0});
  const std::vector<std::uint8_t> expected = {255, 255, 255, 255, 0,   0,
                                              127, 127, 127, 216, 241, 204};
  EXPECT_EQ(rgb.pixels, expected);
}

TEST(ImageRgb, GreyIsReplicatedAndRowStrideIsHonoured) {
  const std::vector<std::uint8_t> grey = {10, 20, 99, 30, 40, 99};  // 2x2, 1 padding byte a row
  const RgbImage rgb = to_rgb({grey.data(), 2, 2, 1, 3});
  const std::vector<std::uint8_t> expected = {10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40};
  EXPECT_EQ(rgb.pixels, expected);
  const at::Tensor pixels = normalized_pixels(rgb);
  EXPECT_EQ(pixels.sizes().vec(), (std::vector<std::int64_t>{3, 2, 2}));
  EXPECT_TRUE(at::equal(pixels[0], pixels[2]));
}

TEST(ImageRgb, BadInputIsRefused) {
  const std::vector<std::uint8_t> pixels(64, 0);
  EXPECT_THROW(to_rgb({nullptr, 2, 2, 3, 0}), ImagePreprocessingError);
  EXPECT_THROW(to_rgb({pixels.data(), 0, 2, 3, 0}), ImagePreprocessingError);
  EXPECT_THROW(to_rgb({pixels.data(), 2, 0, 3, 0}), ImagePreprocessingError);
  EXPECT_THROW(to_rgb({pixels.data(), 2, 2, 2, 0}), ImagePreprocessingError);
  EXPECT_THROW(to_rgb({pixels.data(), 2, 2, 5, 0}), ImagePreprocessingError);
  EXPECT_THROW(to_rgb({pixels.data(), 4, 2, 3, 5}), ImagePreprocessingError);  // stride < row
  EXPECT_THROW(preprocess_image({nullptr, 2, 2, 3, 0}), ImagePreprocessingError);
  try {
    to_rgb({pixels.data(), 2, 2, 2, 0});
  } catch (const ImagePreprocessingError& error) {
    EXPECT_NE(std::string(error.what()).find("channels"), std::string::npos) << error.what();
  }
}

TEST(ImageNormalise, MapsBytesToMinusOneToOne) {
  const RgbImage image{.width = 1, .height = 1, .pixels = {0, 255, 51}};
  const at::Tensor pixels = normalized_pixels(image);
  EXPECT_FLOAT_EQ(pixels[0][0][0].item<float>(), -1.0f);
  EXPECT_FLOAT_EQ(pixels[1][0][0].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(pixels[2][0][0].item<float>(), -0.6f);
}

TEST(ImagePatchify, FlattensRowInPatchThenColumnThenChannel) {
  constexpr int p = 2;
  const at::Tensor pixels = at::arange(3 * 4 * 6, at::kFloat).reshape({3, 4, 6});
  const at::Tensor patches = patchify(pixels, p);
  ASSERT_EQ(patches.sizes().vec(), (std::vector<std::int64_t>{6, p * p * 3}));
  for (int pr = 0; pr < 2; ++pr) {
    for (int pc = 0; pc < 3; ++pc) {
      for (int r = 0; r < p; ++r) {
        for (int q = 0; q < p; ++q) {
          for (int c = 0; c < 3; ++c) {
            EXPECT_EQ(patches[pr * 3 + pc][(r * p + q) * 3 + c].item<float>(),
                      pixels[c][pr * p + r][pc * p + q].item<float>());
          }
        }
      }
    }
  }
  EXPECT_THROW(patchify(at::zeros({3, 5, 6}), p), ImagePreprocessingError);
  EXPECT_THROW(patchify(at::zeros({4, 6}), p), ImagePreprocessingError);
}

TEST(ImagePatchPositions, StrideIsTheTableSideFromTheConfig) {
  const json::object config = test::read_json_object(kFixtureDir / "vit_config.json");
  const int side = max_patches_per_side(config.at("image_size").to_number<int>(),
                                        config.at("patch_size").to_number<int>());
  EXPECT_EQ(side, 70);
  const at::Tensor ids = vit_position_ids(28, 42, 14, side);
  EXPECT_EQ(ids.scalar_type(), at::kLong);
  const std::vector<std::int64_t> expected = {0, 1, 2, 70, 71, 72};
  EXPECT_EQ(std::vector<std::int64_t>(ids.data_ptr<std::int64_t>(),
                                      ids.data_ptr<std::int64_t>() + ids.numel()),
            expected);
  // The wide fixture image: 15 rows of 70 patches, last id 14·70 + 69.
  const at::Tensor wide = vit_position_ids(210, 980, 14, side);
  EXPECT_EQ(wide.numel(), 15 * 70);
  EXPECT_EQ(wide[-1].item<std::int64_t>(), 14 * 70 + 69);
  EXPECT_THROW(vit_position_ids(994, 14, 14, side), ImagePreprocessingError);
  EXPECT_THROW(max_patches_per_side(980, 15), ImagePreprocessingError);
}

TEST(ImagePatchify, FixtureImageGivesOnePatchPerGridCell) {
  const DecodedImage png = decode_png(kFixtureDir / "wide_image_0.png");
  const at::Tensor patches = patchify(preprocess_image(png.view()), 14);
  EXPECT_EQ(patches.sizes().vec(), (std::vector<std::int64_t>{15 * 70, 588}));
}

}  // namespace
}  // namespace seer::models
